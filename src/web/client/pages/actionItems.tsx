/** Placeholder: this page is being built. */
export function ActionItemsPage({ groupId }: { groupId: string }) {
  void groupId;
  return <main id="content" />;
}

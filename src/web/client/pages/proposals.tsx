/** Placeholder: this page is being built. */
export function ProposalsPage({ groupId }: { groupId: string }) {
  void groupId;
  return <main id="content" />;
}

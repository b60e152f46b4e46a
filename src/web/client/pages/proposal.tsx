/** Placeholder: this page is being built. */
export function ProposalPage({ id }: { id: string }) {
  void id;
  return <main id="content" />;
}

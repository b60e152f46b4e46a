/** Placeholder: this page is being built. */
export function AuditPage() {
  
  return <main id="content" />;
}

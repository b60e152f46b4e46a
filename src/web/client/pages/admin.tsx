/** Placeholder: this page is being built. */
export function AdminPage() {
  
  return <main id="content" />;
}

/**
 * PostgreSQL failures that mean "the log cannot answer now", not "this request is wrong": the server is
 * unreachable, shutting down or out of connections, a connection dropped, or a wait ran out of time
 * (SQLSTATE classes 08 and 57, 53300, 57014, and the driver's own network and timeout errors).
 */
export function isPostgresUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (/^(08|57|53)/.test(code)) return true;
    if (/^E(CONNREFUSED|CONNRESET|PIPE|TIMEDOUT|HOSTUNREACH|NETUNREACH|AI_AGAIN)$/.test(code)) return true;
  }
  return /timeout exceeded when trying to connect|Connection terminated|Query read timeout|Client has encountered a connection error|connection timeout|Client was closed and is not queryable/i.test(
    error.message,
  );
}

import type { ApiClient } from '../../src/web/api/client';

/**
 * Compiled by `npm run typecheck` and never run: the generated types must let the page read a problem's
 * detail and a view's fields, and must refuse a path the API does not have or a write without its body.
 */
export async function typedCalls(client: ApiClient, id: string): Promise<void> {
  const r = await client.GET('/proposals/{id}', { params: { path: { id } } });
  if (r.error) {
    const detail: string = r.error.detail;
    const status: number = r.error.status;
    void [detail, status];
  }
  const commentCount: number | undefined = r.data?.commentCount;
  void commentCount;

  const written = await client.POST('/proposals/{id}/comments', {
    params: { path: { id }, header: { 'if-match': 'W/"1"' } },
    body: { body: 'A comment.' },
  });
  const version: number | undefined = written.data?.version;
  void version;

  // @ts-expect-error a path the API does not serve
  await client.GET('/proposal/{id}', { params: { path: { id } } });
  // @ts-expect-error the path parameter is required
  await client.GET('/proposals/{id}', {});
  // @ts-expect-error a comment needs its body
  await client.POST('/proposals/{id}/comments', { params: { path: { id } } });
  // @ts-expect-error a comment's body is a string
  await client.POST('/proposals/{id}/comments', { params: { path: { id } }, body: { body: 42 } });
  // @ts-expect-error the API takes no PUT on a proposal
  await client.PUT('/proposals/{id}', { params: { path: { id } } });
  if (r.data) {
    // @ts-expect-error a field the view does not have
    void r.data.commentTotal;
  }
}

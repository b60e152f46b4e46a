import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, call, type Schemas } from '../../api';
import type { Visibility } from './filters';

const DELAY = 250;
/** The text travels in the query string, which the server's HTTP parser bounds (16 KiB); longer text waits for the 201. */
const MAX_QUERY = 8000;

export interface SimilarWhileTyping {
  items: Schemas['SimilarProposal'][];
  /** The text is too long to ask about before submitting. */
  tooLong: boolean;
  error: unknown;
}

/**
 * The proposals of any group the caller takes part in that resemble the title and body typed so far, as
 * `GET /groups/{groupId}/proposals/similar` answers (what a submission's 201 would list). Asked once typing
 * pauses; an answer to older text is dropped (its request aborted), so the list always matches the text.
 */
export function useSimilarWhileTyping(
  groupId: string,
  title: string,
  body: string,
  visibility: Visibility,
): SimilarWhileTyping {
  const [state, setState] = useState<SimilarWhileTyping>({ items: [], tooLong: false, error: null });
  useEffect(() => {
    // The API refuses blank text, as a submission would: nothing to compare yet.
    if (title.trim() === '' || body.trim() === '') {
      setState({ items: [], tooLong: false, error: null });
      return;
    }
    if (encodeURIComponent(title).length + encodeURIComponent(body).length > MAX_QUERY) {
      setState({ items: [], tooLong: true, error: null });
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      call(
        api.GET('/groups/{groupId}/proposals/similar', {
          params: { path: { groupId }, query: { title, body, visibility } },
          signal: controller.signal,
        }),
      ).then(
        (answer) => setState({ items: answer.similar, tooLong: false, error: null }),
        (error: unknown) => {
          if (controller.signal.aborted) return;
          // Invalid text is shown at its field when submitted; other refusals are said in plain words.
          setState({
            items: [],
            tooLong: false,
            error: error instanceof ApiError && error.status === 400 ? null : error,
          });
        },
      );
    }, DELAY);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [groupId, title, body, visibility]);
  return state;
}

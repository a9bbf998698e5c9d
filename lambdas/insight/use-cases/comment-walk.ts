import type { ResponseRecord } from '#capture/rules/response.ts';
import type { CommentIndex, CommentPageRequest } from '../ports.ts';

/**
 * Every comment of a survey's range the index keeps, newest first, page after page; the caller stops when it has
 * read enough (leaving the loop reads no further page).
 */
export async function* walkComments(
  index: CommentIndex,
  request: Omit<CommentPageRequest, 'cursor'>,
): AsyncGenerator<ResponseRecord> {
  let cursor: string | undefined;
  do {
    const page = await index.page({ ...request, cursor });
    yield* page.items;
    cursor = page.cursor;
  } while (cursor);
}

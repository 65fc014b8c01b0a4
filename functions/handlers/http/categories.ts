import type { HttpDeps } from './deps.ts';
import { authenticate, json, route } from './http.ts';

export const createListCategoriesHandler = (deps: HttpDeps) =>
  route(async (event) => {
    await authenticate(deps.tokens, event);
    return json(200, { items: await deps.directory.listCategories() });
  });

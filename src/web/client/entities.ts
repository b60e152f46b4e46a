import { signal } from '@preact/signals';
import { api, call, type Schemas } from './api';

/** The entities of the Dialogue by id, read once per session: pages name entities, the API sends ids. */
export const entities = signal<Map<string, Schemas['Entity']>>(new Map());

let loading: Promise<void> | null = null;

export function loadEntities(): Promise<void> {
  loading ??= call(api.GET('/entities')).then(
    (list) => {
      entities.value = new Map(list.map((entity) => [entity.id, entity]));
    },
    (error: unknown) => {
      loading = null;
      throw error;
    },
  );
  return loading;
}

export function forgetEntities(): void {
  loading = null;
  entities.value = new Map();
}

/** An entity's name, or its id while the list is not there (or for an entity added since). */
export function entityName(id: string | null | undefined): string {
  if (id === null || id === undefined) return '';
  return entities.value.get(id)?.name ?? id;
}

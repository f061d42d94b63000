import pg from 'pg';

/**
 * Statements named at most, for the whole process: past it a new statement goes unnamed (parsed and planned each
 * time), so that statements whose text varies (a list of n values) cannot grow every connection without bound.
 */
const MAX_NAMED = 500;
const names = new Map<string, string>();

function nameFor(text: string): string | undefined {
  const known = names.get(text);
  if (known || names.size >= MAX_NAMED) return known;
  const name = `tandem_${names.size + 1}`;
  names.set(text, name);
  return name;
}

/**
 * A pg client that sends each statement with parameters as a named prepared statement: PostgreSQL parses it once
 * per connection and, after a few executions, may keep one plan for it, where an unnamed one is parsed and planned
 * every time (most of a short statement's work in the server). Kysely gives one query shape one text, so there are
 * few of them. Statements without parameters (begin, commit, DDL) stay simple queries.
 */
export class PreparingClient extends pg.Client {
  // biome-ignore lint/suspicious/noExplicitAny: pg's overloads of query are too many to restate
  override query(config: any, values?: any, callback?: any): any {
    if (typeof config === 'string' && Array.isArray(values) && values.length > 0) {
      const name = nameFor(config);
      if (name) return super.query({ name, text: config, values }, callback);
    }
    return super.query(config, values, callback);
  }
}

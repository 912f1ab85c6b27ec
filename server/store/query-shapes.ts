/**
 * Kysely builds and compiles every query anew. On a sync's path (a few statements of up to a few
 * hundred values each, hundreds of syncs a second) that costs more than the database running them.
 * A statement's SQL depends only on its shape — which query, which optional conditions, how many rows
 * — so the SQL is compiled once per shape and run again with the new parameters.
 *
 * The caller states the parameters in the order the SQL takes them. The first compile of each shape
 * checks that order against Kysely's own; the order is a function of the shape, so one check holds
 * for every later run.
 */
import { type Compilable, CompiledQuery, type Kysely } from 'kysely';
import type { Database } from './database';

/** Shapes kept; past this the cache starts afresh (a shape per row count, so a few hundred at most in practice). */
const SHAPES_KEPT = 1000;

export class QueryShapes {
  private readonly sql = new Map<string, string>();

  async execute<R>(db: Kysely<Database>, shape: string, parameters: readonly unknown[], build: () => Compilable<R>): Promise<R[]> {
    const known = this.sql.get(shape);
    if (known !== undefined) return (await db.executeQuery<R>(CompiledQuery.raw(known, parameters as unknown[]))).rows;
    const compiled = build().compile();
    if (compiled.parameters.length !== parameters.length || compiled.parameters.some((p, i) => p !== parameters[i])) {
      throw new Error(`query shape ${shape}: the parameters given are not in the compiled query's order`);
    }
    if (this.sql.size >= SHAPES_KEPT) this.sql.clear();
    this.sql.set(shape, compiled.sql);
    return (await db.executeQuery(compiled)).rows;
  }

  /**
   * Inserts rows that all have the columns of the first (as rows made by one function do); `build`
   * makes the statement, with an upsert clause for instance. Values are taken by column name, so the
   * order of a row's keys does not matter. Rows with other columns, or an undefined value (which
   * Kysely leaves to the column's default), are built as Kysely would.
   */
  async insert<T extends object>(db: Kysely<Database>, name: string, rows: readonly T[], build: (rows: T[]) => Compilable<unknown>): Promise<void> {
    if (rows.length === 0) return;
    const columns = Object.keys(rows[0]) as (keyof T)[];
    const parameters: unknown[] = [];
    for (const row of rows) {
      if (Object.keys(row).length !== columns.length) return this.uncached(db, rows, build);
      for (const column of columns) {
        const value = row[column];
        if (value === undefined) return this.uncached(db, rows, build);
        parameters.push(value);
      }
    }
    await this.execute(db, `${name}|${columns.join(',')}|${rows.length}`, parameters, () => build([...rows]));
  }

  private async uncached<T>(db: Kysely<Database>, rows: readonly T[], build: (rows: T[]) => Compilable<unknown>): Promise<void> {
    await db.executeQuery(build([...rows]).compile());
  }
}

import type { Client, InArgs, ResultSet, Transaction } from '@libsql/client';
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
} from 'kysely';

/**
 * A Kysely dialect over an existing @libsql/client instance. We write our own instead of
 * pulling @libsql/kysely-libsql because that package drags in a second, older @libsql/client;
 * the app must share one client (and so one set of connection pragmas).
 *
 * One logical connection at a time: SQLite has a single writer anyway, and an open libSQL
 * transaction makes every other call on the client fail fast rather than wait, so Kysely's
 * callers queue here instead.
 */
export class LibsqlDialect implements Dialect {
  constructor(private readonly client: Client) {}
  createAdapter() {
    return new SqliteAdapter();
  }
  createDriver(): Driver {
    return new LibsqlDriver(this.client);
  }
  createIntrospector(db: Kysely<any>) {
    return new SqliteIntrospector(db);
  }
  createQueryCompiler() {
    return new SqliteQueryCompiler();
  }
}

class LibsqlDriver implements Driver {
  readonly #mutex = new Mutex();
  readonly #connection: LibsqlConnection;
  constructor(client: Client) {
    this.#connection = new LibsqlConnection(client);
  }
  async init() {}
  async acquireConnection() {
    await this.#mutex.lock();
    return this.#connection;
  }
  async beginTransaction(conn: DatabaseConnection) {
    await (conn as LibsqlConnection).begin();
  }
  async commitTransaction(conn: DatabaseConnection) {
    await (conn as LibsqlConnection).commit();
  }
  async rollbackTransaction(conn: DatabaseConnection) {
    await (conn as LibsqlConnection).rollback();
  }
  async releaseConnection() {
    this.#mutex.unlock();
  }
  async destroy() {}
}

class LibsqlConnection implements DatabaseConnection {
  #tx: Transaction | null = null;
  constructor(private readonly client: Client) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const stmt = { sql: query.sql, args: query.parameters as InArgs };
    const rs = this.#tx ? await this.#tx.execute(stmt) : await this.client.execute(stmt);
    return toQueryResult<R>(rs);
  }

  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming queries are not supported by the libSQL dialect');
  }

  async begin() {
    this.#tx = await this.client.transaction('write');
  }
  /**
   * A COMMIT that fails (a deferred constraint, SQLITE_BUSY, a full disk) keeps the transaction
   * here, so Kysely's rollback that follows finds it, ends it and lets the original error through;
   * `close` is the backstop that hands the connection back in any case.
   */
  async commit() {
    const tx = this.#current();
    await tx.commit();
    this.#tx = null;
    tx.close();
  }
  async rollback() {
    const tx = this.#current();
    this.#tx = null;
    try {
      if (!tx.closed) await tx.rollback();
    } finally {
      tx.close();
    }
  }
  #current(): Transaction {
    if (!this.#tx) throw new Error('No transaction is open');
    return this.#tx;
  }
}

function toQueryResult<R>(rs: ResultSet): QueryResult<R> {
  const rows = rs.rows.map((row) => {
    const obj: Record<string, unknown> = {};
    rs.columns.forEach((col, i) => {
      const v = row[i];
      // libSQL hands BLOBs back as ArrayBuffer; callers want bytes they can index.
      obj[col] = v instanceof ArrayBuffer ? new Uint8Array(v) : v;
    });
    return obj as R;
  });
  return {
    rows,
    numAffectedRows: BigInt(rs.rowsAffected),
    insertId: rs.lastInsertRowid,
  };
}

class Mutex {
  #locked = false;
  #waiters: (() => void)[] = [];
  lock(): Promise<void> {
    if (!this.#locked) {
      this.#locked = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
  unlock() {
    const next = this.#waiters.shift();
    if (next) next();
    else this.#locked = false;
  }
}

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

export interface LibsqlDialectOptions {
  /**
   * What every fresh connection runs (pragmas are per connection). Given for a local file: after
   * a COMMIT fails, the connection keeps a stale read snapshot (reads miss later writes of other
   * connections, every write fails SQLITE_BUSY_SNAPSHOT), so the client reconnects and re-runs these.
   */
  connectionSetup?: readonly string[];
}

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
  constructor(
    private readonly client: Client,
    private readonly opts: LibsqlDialectOptions = {},
  ) {}
  createAdapter() {
    return new SqliteAdapter();
  }
  createDriver(): Driver {
    return new LibsqlDriver(this.client, this.opts.connectionSetup);
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
  constructor(client: Client, setup?: readonly string[]) {
    this.#connection = new LibsqlConnection(client, setup);
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
  constructor(
    private readonly client: Client,
    private readonly setup?: readonly string[],
  ) {}

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
   * here, so Kysely's rollback that follows finds it, ends it and lets the original error through
   * (not "no transaction is open"); `close` is the backstop that hands the connection back.
   */
  async commit() {
    const tx = this.#current();
    try {
      await tx.commit();
    } catch (err) {
      await this.#replaceConnection();
      throw err;
    }
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
  /** Runs under the driver's lock with the failed transaction's connection back in the pool. */
  async #replaceConnection() {
    if (!this.setup) return;
    await this.client.reconnect();
    for (const stmt of this.setup) await this.client.execute(stmt);
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

// Numbered schema migrations. Each runs in its own transaction and bumps
// PRAGMA user_version, so a half-applied migration never exists. Append new
// ones at the end; never edit one that has shipped.
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'event log, hash-chained blocks, sector projection',
    sql: `
      -- Small lookup tables keep each event row short (the disk budget is
      -- ~80 bytes per position event): kind and source are stored as ids.
      CREATE TABLE event_kinds (
        id   INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE
      ) STRICT;
      CREATE TABLE event_sources (
        id   INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE
      ) STRICT;

      -- The event log: append-only, the truth everything else is derived from.
      CREATE TABLE events (
        seq      INTEGER PRIMARY KEY,           -- gapless, from 1
        time     INTEGER NOT NULL,              -- received, ms since epoch (UTC)
        kind     INTEGER NOT NULL REFERENCES event_kinds(id),
        source   INTEGER NOT NULL REFERENCES event_sources(id),
        operator TEXT,                          -- who acted; NULL for sensors and the system
        payload  TEXT NOT NULL                  -- canonical JSON
      ) STRICT;

      -- One row per committed batch (group commit). hash = SHA-256 over the
      -- previous block's hash and the leaf hash of every event in the block;
      -- fingerprints holds the first 8 bytes of each leaf so verification can
      -- name the exact row that was changed.
      CREATE TABLE log_blocks (
        block        INTEGER PRIMARY KEY,
        first_seq    INTEGER NOT NULL,
        last_seq     INTEGER NOT NULL,
        first_time   INTEGER NOT NULL,
        last_time    INTEGER NOT NULL,
        prev_hash    BLOB NOT NULL,
        hash         BLOB NOT NULL,
        fingerprints BLOB NOT NULL
      ) STRICT;
      CREATE INDEX log_blocks_time ON log_blocks(first_time);

      CREATE TRIGGER events_no_update BEFORE UPDATE ON events
        BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
      CREATE TRIGGER events_no_delete BEFORE DELETE ON events
        BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
      CREATE TRIGGER log_blocks_no_update BEFORE UPDATE ON log_blocks
        BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
      CREATE TRIGGER log_blocks_no_delete BEFORE DELETE ON log_blocks
        BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;

      -- Projection: the current sectors, rebuilt from sector.* events.
      CREATE TABLE sectors (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL,
        risk        TEXT NOT NULL CHECK (risk IN ('low', 'medium', 'high')),
        ord         INTEGER NOT NULL,
        ring        TEXT NOT NULL,              -- JSON [[lon, lat], ...]
        defined_seq INTEGER NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 2,
    name: 'live picture: sensors, units, tracks, alerts, incidents, assignments; feed quarantine',
    sql: `
      -- Projections of the log (rebuilt by the same code that replay will use).
      CREATE TABLE sensors (
        id        TEXT PRIMARY KEY,
        kind      TEXT NOT NULL,
        name      TEXT NOT NULL,
        config    TEXT NOT NULL,               -- JSON: position, coverage, heartbeat
        health    TEXT NOT NULL CHECK (health IN ('ok', 'silent')),
        last_seen INTEGER                      -- ms, last accepted message
      ) STRICT;
      CREATE TABLE units (
        id         TEXT PRIMARY KEY,
        callsign   TEXT NOT NULL,
        type       TEXT NOT NULL,
        crew       INTEGER NOT NULL,
        status     TEXT NOT NULL,
        assignment TEXT,
        lat        REAL,
        lon        REAL,
        heading    REAL,
        speed      REAL,
        fix_time   INTEGER
      ) STRICT;
      CREATE TABLE tracks (
        id      TEXT PRIMARY KEY,
        sensor  TEXT NOT NULL,
        cls     TEXT NOT NULL,
        lat     REAL NOT NULL,
        lon     REAL NOT NULL,
        course  REAL,
        speed   REAL,
        sector  TEXT,
        time    INTEGER NOT NULL,
        stale   INTEGER
      ) STRICT;
      CREATE TABLE alerts (
        id         TEXT PRIMARY KEY,
        kind       TEXT NOT NULL,
        severity   TEXT NOT NULL,
        sensor     TEXT NOT NULL,
        subject    TEXT,                       -- the detection, track or report that raised it
        lat        REAL,
        lon        REAL,
        sector     TEXT,
        confidence REAL,
        count      INTEGER,
        time       INTEGER NOT NULL,
        status     TEXT NOT NULL,
        escalated  INTEGER NOT NULL DEFAULT 0,
        incident   TEXT,
        raised_seq INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX alerts_open ON alerts(status, time);
      CREATE TABLE incidents (
        id        TEXT PRIMARY KEY,
        status    TEXT NOT NULL CHECK (status IN ('open', 'closed')),
        lat       REAL NOT NULL,
        lon       REAL NOT NULL,
        sector    TEXT,
        alerts    TEXT NOT NULL,                -- JSON array of alert ids
        opened_at INTEGER NOT NULL,
        closed_at INTEGER,
        outcome   TEXT,
        notes     TEXT NOT NULL DEFAULT ''
      ) STRICT;
      CREATE TABLE assignments (
        id          TEXT PRIMARY KEY,
        unit        TEXT NOT NULL,
        incident    TEXT NOT NULL,
        lat         REAL NOT NULL,
        lon         REAL NOT NULL,
        status      TEXT NOT NULL,
        assigned_at INTEGER NOT NULL,
        en_route_at INTEGER,
        on_scene_at INTEGER,
        cleared_at  INTEGER
      ) STRICT;

      -- Rejected feed input: kept with its raw bytes and the reason, never
      -- silently dropped. Not part of the hash-chained log (it is not truth).
      CREATE TABLE quarantine (
        id       INTEGER PRIMARY KEY,
        time     INTEGER NOT NULL,
        protocol TEXT NOT NULL,
        source   TEXT NOT NULL,                -- transport and remote address
        reason   TEXT NOT NULL,
        detail   TEXT NOT NULL,
        raw      BLOB NOT NULL
      ) STRICT;
      CREATE INDEX quarantine_by_source ON quarantine(source, reason);
    `,
  },
  {
    version: 3,
    name: 'incident notes; operator accounts and shifts',
    sql: `
      -- Accounts: state, not a projection (the password hash must never be
      -- in the log); each account's creation is logged as operator.created.
      CREATE TABLE operators (
        name       TEXT PRIMARY KEY COLLATE NOCASE,
        role       TEXT NOT NULL CHECK (role IN ('operator', 'supervisor', 'auditor')),
        password   TEXT NOT NULL,              -- scrypt$N$r$p$salt$hash (base64)
        created_at INTEGER NOT NULL,
        created_by TEXT,
        logged     INTEGER NOT NULL DEFAULT 0  -- operator.created appended
      ) STRICT;
      -- Shifts (projection of shift.opened / shift.closed): a post has one
      -- open shift at a time; the events between its opening and closing
      -- sequence numbers are its events.
      CREATE TABLE shifts (
        id         INTEGER PRIMARY KEY,
        opened_at  INTEGER NOT NULL,
        opened_by  TEXT NOT NULL,
        first_seq  INTEGER NOT NULL,
        closed_at  INTEGER,
        closed_by  TEXT,
        handover   TEXT,
        last_seq   INTEGER
      ) STRICT;

      -- Notes an operator adds to an open incident, in order (projection of incident.noted).
      CREATE TABLE incident_notes (
        seq      INTEGER PRIMARY KEY,          -- the logged event's seq
        incident TEXT NOT NULL,
        time     INTEGER NOT NULL,
        operator TEXT,
        text     TEXT NOT NULL
      ) STRICT;
      CREATE INDEX incident_notes_incident ON incident_notes(incident, seq);
    `,
  },
  {
    version: 4,
    name: 'event log: packed position payloads',
    sql: `
      -- Position events (track.update, unit.position) are most of the log;
      -- their payload is stored as a compact binary encoding
      -- (electron/core/log/packedPayload.ts) in this column, with '' as the
      -- text payload. Only events whose bytes unpack to exactly their
      -- canonical JSON are packed; everything else, and every row written
      -- before this version, stays canonical JSON with packed NULL. The leaf
      -- hash covers the bytes as stored. Adding a column rewrites nothing:
      -- existing rows, and their hashes, are untouched.
      ALTER TABLE events ADD COLUMN packed BLOB;
    `,
  },
  {
    version: 5,
    name: 'picture snapshots for replay',
    sql: `
      -- A cache, not the log: the live picture as it stood after event seq,
      -- written by the core inside the append transaction every 5,000
      -- events or 10 minutes (electron/core/replay/snapshots.ts), so replay
      -- can seek into a long shift by projecting from the nearest snapshot
      -- instead of from event 1. Deleting rows loses nothing but seek speed.
      CREATE TABLE picture_snapshots (
        seq    INTEGER PRIMARY KEY,            -- the last event the state includes
        time   INTEGER NOT NULL,               -- that event's time
        format INTEGER NOT NULL,               -- 1: deflated JSON (snapshots.ts)
        state  BLOB NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 6,
    name: 'control room: seats and incident owners',
    sql: `
      -- Seats that asked to join over the room address (electron/core/room/seats.ts).
      -- The seat keeps its token; the post keeps only its SHA-256.
      CREATE TABLE seats (
        id           TEXT PRIMARY KEY,
        code         TEXT NOT NULL UNIQUE,
        token_sha256 TEXT NOT NULL UNIQUE,
        state        TEXT NOT NULL CHECK (state IN ('pending', 'admitted', 'revoked')),
        address      TEXT NOT NULL,
        label        TEXT NOT NULL,
        requested_at INTEGER NOT NULL,
        admitted_at  INTEGER,
        admitted_by  TEXT,
        revoked_at   INTEGER,
        revoked_by   TEXT
      ) STRICT;
      -- Who works an incident (a projection of incident.opened and incident.transferred).
      ALTER TABLE incidents ADD COLUMN owner TEXT;
      -- The wall screen's role, 'display': SQLite cannot change a CHECK, so the accounts table is rebuilt as it was, with the new role.
      CREATE TABLE operators_new (
        name       TEXT PRIMARY KEY COLLATE NOCASE,
        role       TEXT NOT NULL CHECK (role IN ('operator', 'supervisor', 'auditor', 'display')),
        password   TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        created_by TEXT,
        logged     INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      INSERT INTO operators_new SELECT name, role, password, created_at, created_by, logged FROM operators;
      DROP TABLE operators;
      ALTER TABLE operators_new RENAME TO operators;
    `,
  },
  {
    version: 7,
    name: 'leaner hash chain: no stored prev_hash, open blocks, 2-byte fingerprints; archived base',
    sql: `
      -- Block rows without prev_hash: each block's hash already covers the
      -- hash before it, so the copy proved nothing (verify reads the previous
      -- row's hash). A block may now take several commits: the newest block
      -- is extended in place (last_seq, last_time, hash, fingerprints) while
      -- its commits stay within a short span (electron/core/log/eventLog.ts);
      -- every committed event is covered by its block's hash at all times.
      -- Blocks from here on keep 2 bytes of each leaf as fingerprints; the
      -- copied ones keep their 8. Nothing hashed changes: the head is the same.
      CREATE TABLE log_blocks_v6 (
        block        INTEGER PRIMARY KEY,
        first_seq    INTEGER NOT NULL,
        last_seq     INTEGER NOT NULL,
        first_time   INTEGER NOT NULL,
        last_time    INTEGER NOT NULL,
        hash         BLOB NOT NULL,
        fingerprints BLOB NOT NULL
      ) STRICT;
      INSERT INTO log_blocks_v6 (block, first_seq, last_seq, first_time, last_time, hash, fingerprints)
        SELECT block, first_seq, last_seq, first_time, last_time, hash, fingerprints FROM log_blocks ORDER BY block;
      DROP TABLE log_blocks;
      ALTER TABLE log_blocks_v6 RENAME TO log_blocks;
      CREATE INDEX log_blocks_time ON log_blocks(first_time);

      -- Where the live log starts once older blocks were moved to an archive
      -- file (vigie archive): the last archived block, its last seq and hash
      -- (the live log's first block links to it), and the archive's name.
      -- No row: the log starts at genesis.
      CREATE TABLE log_base (
        id          INTEGER PRIMARY KEY CHECK (id = 1),
        block       INTEGER NOT NULL,
        last_seq    INTEGER NOT NULL,
        last_time   INTEGER NOT NULL,
        hash        BLOB NOT NULL,
        archive     TEXT NOT NULL,
        archived_at INTEGER NOT NULL
      ) STRICT;

      -- Append-only, except: the newest block may be extended (never
      -- shortened or rewritten), and rows at or before the archived base may
      -- be removed (they are in the archive file).
      CREATE TRIGGER log_blocks_no_update BEFORE UPDATE ON log_blocks
        WHEN OLD.block <> (SELECT max(block) FROM log_blocks) OR NEW.block <> OLD.block OR NEW.first_seq <> OLD.first_seq
          OR NEW.first_time <> OLD.first_time OR NEW.last_seq <= OLD.last_seq
          OR substr(NEW.fingerprints, 1, length(OLD.fingerprints)) <> OLD.fingerprints
        BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
      CREATE TRIGGER log_blocks_no_delete BEFORE DELETE ON log_blocks
        WHEN OLD.block > coalesce((SELECT block FROM log_base), 0)
        BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
      DROP TRIGGER events_no_delete;
      CREATE TRIGGER events_no_delete BEFORE DELETE ON events
        WHEN OLD.seq > coalesce((SELECT last_seq FROM log_base), 0)
        BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
      CREATE TRIGGER log_base_forward BEFORE UPDATE ON log_base
        WHEN NEW.block <= OLD.block OR NEW.last_seq <= OLD.last_seq
        BEGIN SELECT RAISE(ABORT, 'the archived base only moves forward'); END;
      CREATE TRIGGER log_base_no_delete BEFORE DELETE ON log_base
        BEGIN SELECT RAISE(ABORT, 'the archived base only moves forward'); END;
    `,
  },
  {
    version: 8,
    name: 'field devices (TAK)',
    sql: `
      -- Projection of device.report / device.registered / device.blocked
      -- (electron/core/devices/fieldDevices.ts): every field device heard or
      -- registered, its last self-report, the unit it reports as, and whether
      -- a supervisor blocked it. Rebuilt from the log like every projection.
      CREATE TABLE field_devices (
        id         TEXT PRIMARY KEY,           -- the device's uid as a Vigie id (cotId)
        uid        TEXT NOT NULL,              -- as the device sends it
        unit       TEXT,                       -- registered: the unit it reports as
        blocked    TEXT,                       -- blocked: the supervisor's reason
        report     TEXT,                       -- the last device.report payload (JSON), with its receipt time
        emergency  TEXT                        -- an emergency not cancelled yet (JSON: kind, since, unit)
      ) STRICT;
      -- Points and markers placed on devices (field.point, field.deleted).
      CREATE TABLE field_points (
        id         TEXT PRIMARY KEY,
        point      TEXT NOT NULL               -- the last field.point payload (JSON), with its receipt time
      ) STRICT;
    `,
  },
  {
    version: 9,
    name: 'AIS vessels projection, alert reasons',
    sql: `
      -- The ships heard on AIS (issue 14), one row per MMSI: the projection of
      -- ais.position, ais.static, ais.associated, ais.released and ais.expired
      -- (electron/core/picture/vesselPicture.ts). The row is the VesselView
      -- of shared/contract/picture.ts as JSON: the console's shape, nothing
      -- queried by column.
      CREATE TABLE vessels (
        mmsi INTEGER PRIMARY KEY,
        view TEXT NOT NULL
      ) STRICT;
      -- Why an alert was raised, when its kind says (dark contacts): a JSON array of reason codes.
      ALTER TABLE alerts ADD COLUMN reasons TEXT;
    `,
  },
  {
    version: 10,
    name: 'GeoChat messages',
    sql: `
      -- Projection of chat.received, chat.sent, chat.receipt and chat.linked
      -- (electron/core/chat/chatMessages.ts): one row per GeoChat message,
      -- in or out. The row is the console's ChatMessageView (JSON), with the
      -- seq of each part so replay can cut it at any moment.
      CREATE TABLE chat_messages (
        id       TEXT PRIMARY KEY,           -- the message id (cotId of ATAK's messageId)
        seq      INTEGER NOT NULL,           -- the chat.received or chat.sent event
        time     INTEGER NOT NULL,
        thread   TEXT NOT NULL,              -- all, team:<name>, device:<id>
        message  TEXT NOT NULL
      ) STRICT;
      CREATE INDEX chat_messages_seq ON chat_messages (seq);
    `,
  },
  {
    version: 11,
    name: 'uplink outbox position',
    sql: `
      -- The post's uplink (docs/federation.md): the log is the outbox, and
      -- this row says how far the stream has acknowledged it. Not part of the
      -- log (it is about delivery, not about what happened) and not hashed.
      CREATE TABLE uplink_state (
        id          INTEGER PRIMARY KEY CHECK (id = 1),
        post        TEXT NOT NULL,              -- the post name it was published under
        acked_seq   INTEGER NOT NULL,           -- highest seq whose block message the stream acknowledged
        acked_at    INTEGER NOT NULL            -- ms, UTC
      ) STRICT;
    `,
  },
];

export const LATEST_SCHEMA_VERSION = migrations.at(-1)?.version ?? 0;

// Every schema version the store has shipped, oldest first. Never edit a shipped step: append one.
// Version 0 is a database without tables (a new file, or one created before the schema existed).
namespace Workbench.Tracking.Schema;

internal static class SchemaSteps
{
    public static IReadOnlyList<SchemaStep> All { get; } =
    [
        new(1, "runs, metric series and points, artifacts", """
            CREATE TABLE runs (
                id                  TEXT NOT NULL PRIMARY KEY,
                name                TEXT NOT NULL,
                status              TEXT NOT NULL,
                config_json         TEXT NOT NULL,
                config_hash         TEXT NOT NULL,
                group_hash          TEXT NOT NULL,
                metric_name         TEXT NOT NULL,
                metric_goal         TEXT NOT NULL,
                tags_json           TEXT NOT NULL,
                notes               TEXT NOT NULL,
                git_commit          TEXT NULL,
                git_dirty           INTEGER NOT NULL,
                seed                INTEGER NOT NULL,
                host                TEXT NOT NULL,
                os                  TEXT NOT NULL,
                dotnet_version      TEXT NOT NULL,
                torch_version       TEXT NULL,
                device              TEXT NOT NULL,
                dataset_hashes_json TEXT NOT NULL,
                command_line        TEXT NOT NULL,
                started_at          TEXT NOT NULL,
                ended_at            TEXT NULL,
                heartbeat_at        TEXT NOT NULL,
                summary_json        TEXT NOT NULL,
                error               TEXT NULL,
                parent_id           TEXT NULL REFERENCES runs(id) ON DELETE SET NULL,
                run_dir             TEXT NOT NULL
            );
            CREATE INDEX ix_runs_name_started_at ON runs(name, started_at);
            CREATE INDEX ix_runs_started_at ON runs(started_at);

            -- One row per (run, metric key); points refer to it by a small integer, which makes
            -- their clustered key (series_id, step) about twice as fast to insert into as an index
            -- on (run_id, key, step) text.
            CREATE TABLE metric_series (
                id     INTEGER PRIMARY KEY,
                run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                key    TEXT NOT NULL,
                UNIQUE (run_id, key)
            );

            -- One value per key and step, stored in step order. value is NULL for NaN (SQLite
            -- stores a bound NaN as NULL). No foreign key: checking it would cost a lookup per
            -- point, and only MetricWriter writes here, with a series id it has just resolved.
            CREATE TABLE metric_points (
                series_id INTEGER NOT NULL,
                step      INTEGER NOT NULL,
                value     REAL NULL,
                wall_time REAL NOT NULL,
                PRIMARY KEY (series_id, step)
            ) WITHOUT ROWID;

            CREATE TABLE artifacts (
                id         INTEGER PRIMARY KEY,
                run_id     TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                path       TEXT NOT NULL,
                kind       TEXT NOT NULL,
                sha256     TEXT NOT NULL,
                bytes      INTEGER NOT NULL,
                created_at TEXT NOT NULL,
                UNIQUE (run_id, path)
            );
            """),
        new(2, "runs.pid, runs.pid_start_ticks: the process running a run, so a hard-killed one shows at once", """
            -- NULL for runs recorded before version 2: only their heartbeat tells whether they live.
            ALTER TABLE runs ADD COLUMN pid INTEGER NULL;
            ALTER TABLE runs ADD COLUMN pid_start_ticks INTEGER NULL;
            """),
        new(3, "runs.init_from_id, runs.rerun_of_id: the two ways a run starts from another, kept apart", """
            -- parent_id stays (init_from, else rerun_of). Older rows are split by the command that
            -- made them: a rerun's command line starts with `workbench rerun`.
            ALTER TABLE runs ADD COLUMN init_from_id TEXT NULL REFERENCES runs(id) ON DELETE SET NULL;
            ALTER TABLE runs ADD COLUMN rerun_of_id TEXT NULL REFERENCES runs(id) ON DELETE SET NULL;
            UPDATE runs SET rerun_of_id = parent_id WHERE parent_id IS NOT NULL AND command_line LIKE 'workbench rerun%';
            UPDATE runs SET init_from_id = parent_id WHERE parent_id IS NOT NULL AND rerun_of_id IS NULL;
            """),
        new(4, "sweeps, sweep_trials, sweep_rungs: hyperparameter searches, their trials and the values pruning compares", """
            -- One row per sweep file content (content_hash): the same file again resumes this row.
            -- budget_trials is NULL for no trial limit; deadline_at NULL for no time limit (hours or until).
            CREATE TABLE sweeps (
                id              TEXT NOT NULL PRIMARY KEY,
                name            TEXT NOT NULL,
                content_hash    TEXT NOT NULL,
                source_path     TEXT NOT NULL,
                definition_json TEXT NOT NULL,
                status          TEXT NOT NULL,
                retries         INTEGER NOT NULL,
                budget_trials   INTEGER NULL,
                deadline_at     TEXT NULL,
                created_at      TEXT NOT NULL
            );
            CREATE INDEX ix_sweeps_content_hash ON sweeps(content_hash);

            -- A trial is claimed by one process (host, pid, pid_start_ticks), which beats heartbeat_at;
            -- attempts counts the claims, so a trial whose process died is retried up to sweeps.retries.
            -- run_ids_json maps each seed to the run that trains it.
            CREATE TABLE sweep_trials (
                sweep_id        TEXT NOT NULL REFERENCES sweeps(id) ON DELETE CASCADE,
                number          INTEGER NOT NULL,
                parameters_json TEXT NOT NULL,
                status          TEXT NOT NULL,
                score           REAL NULL,
                pruned_step     INTEGER NULL,
                attempts        INTEGER NOT NULL,
                run_ids_json    TEXT NOT NULL,
                host            TEXT NULL,
                pid             INTEGER NULL,
                pid_start_ticks INTEGER NULL,
                heartbeat_at    TEXT NULL,
                started_at      TEXT NULL,
                finished_at     TEXT NULL,
                error           TEXT NULL,
                PRIMARY KEY (sweep_id, number)
            );

            -- The metric a trial reported at each rung step, for ASHA and median pruning.
            CREATE TABLE sweep_rungs (
                sweep_id     TEXT NOT NULL,
                trial_number INTEGER NOT NULL,
                step         INTEGER NOT NULL,
                value        REAL NOT NULL,
                PRIMARY KEY (sweep_id, trial_number, step),
                FOREIGN KEY (sweep_id, trial_number) REFERENCES sweep_trials(sweep_id, number) ON DELETE CASCADE
            );
            """),
    ];

    public static int Current => All[^1].Version;
}

"""`kashmir-monitor run`: the monitor as a long-running service on APScheduler 3.

Jobs (every trigger gets the configured time zone explicitly; tzlocal is never consulted):
- `feed:<name>`, one per feed, in the "poll" pool: fetch → ingest; then it sets its own next run
  (adaptive interval, backoff, server hints: monitor/jobs.py);
- `deliver`, every few seconds and right after a poll queued alerts: drains the outbox
  (alerts' deliver_due, backoff and active hours honoured);
- `digest:<channel>` on each channel's cron schedule, caught up at start if a run was missed;
- `housekeeping` daily: retention prune, FTS optimize, VACUUM, WAL truncate.

Threads and SQLite: the poll pool shares one Store under `ingest_lock` (held for store access,
never during a fetch); deliveries use a second Store under `deliver_lock`, so a slow mail
server never blocks ingestion. The main thread only handles signals and writes the heartbeat.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from alerts.outbox import release_orphaned_leases
from monitor import jobs
from monitor.app import App
from monitor.config_records import ChannelConfig, Config, FeedConfig
from monitor.daemon_support import (
    LISTENED_EVENTS,
    FlightCounter,
    JobStats,
    clone_app,
    config_problem_lines,
    digest_in_child,
    install_signal_handlers,
    last_digest_at,
    limit_memory,
    new_last_week,
    record_schedule,
    release_free_memory,
    thread_session,
)
from monitor.health import new_heartbeat, write_heartbeat
from monitor.lock import AlreadyRunning, DaemonLock

log = logging.getLogger("kashmir_monitor.daemon")

BEAT_EVERY = int(os.environ.get("KASHMIR_MONITOR_BEAT_EVERY", "5"))  # heartbeat period, s
DELIVER_EVERY = int(os.environ.get("KASHMIR_MONITOR_DELIVER_EVERY", "10"))  # outbox drain, s
SHUTDOWN_GRACE = float(os.environ.get("KASHMIR_MONITOR_SHUTDOWN_GRACE", "5"))  # in-flight wait
HOUSEKEEPING_CRON = "30 3 * * *"
EXIT_ALREADY_RUNNING = 3  # distinct from 1 (a crash) and 2 (a config error)
EXIT_FAILED = 1  # stopped because it could not go on working (the service manager restarts it)
DIGEST_GRACE = 3600  # a digest run up to an hour late still runs (later: caught up at start)
HOST_WAIT = 5.0  # longest a poll job waits for its host's slot before trying again later


class Daemon:
    """The scheduler, its jobs and the process lifecycle for one database."""

    def __init__(self, app: App, config_path: Path | None = None) -> None:
        self.config_path = config_path
        self.db_path = Path(app.db_path or app.config.storage.path)
        self.poll_app = app
        self.deliver_app = clone_app(app, app.config, share_store=False)
        self.tz = ZoneInfo(app.config.timezone)
        self.ingest_lock = threading.RLock()
        self.deliver_lock = threading.RLock()
        self.stop = threading.Event()
        self.wake = threading.Event()
        self.reload_requested = threading.Event()
        self.flight = FlightCounter()
        self.stats = JobStats()
        self.gate = jobs.HostGate(app.config.fetch)
        self._deliver_again = threading.Event()
        self._delivering = threading.Lock()
        self.failed = False  # set when the daemon stops because it can no longer work
        workers = max(2, app.config.fetch.max_concurrency)
        self.scheduler = BackgroundScheduler(
            timezone=self.tz,
            executors={"poll": ThreadPoolExecutor(workers), "deliver": ThreadPoolExecutor(2)},
            job_defaults={"coalesce": True, "max_instances": 1},
        )
        self.scheduler.add_listener(self.stats.on_event, LISTENED_EVENTS)

    @property
    def config(self) -> Config:
        return self.poll_app.config

    # -- lifecycle ---------------------------------------------------------------------------

    def run(self) -> int:
        """Run until SIGTERM/SIGINT; 0 on a clean stop, 3 if another daemon holds the DB."""
        lock = DaemonLock(self.db_path)
        try:
            lock.acquire()
        except AlreadyRunning as exc:
            log.error("%s", exc)
            return EXIT_ALREADY_RUNNING
        restore = install_signal_handlers(self._on_stop_signal, self._on_reload_signal)
        try:
            self._start()
            while not self.stop.is_set():
                self.wake.wait(timeout=BEAT_EVERY)
                self.wake.clear()
                if self.reload_requested.is_set() and not self.stop.is_set():
                    self.reload_requested.clear()
                    self.reload()
                if not self._scheduler_alive():  # a fresh heartbeat must mean work goes on
                    log.error("the scheduler thread died; stopping so the service manager "
                              "restarts the daemon")
                    self.failed = True
                    break
                self._beat()
            drained = self._shutdown()
        finally:
            restore()
            lock.release()
        if not drained:
            # A fetch or send is still stuck past the grace period; its transaction (if any)
            # is not committed, which SQLite rolls back. Do not wait for it to time out.
            log.warning("exiting with jobs still in flight after %.0fs", SHUTDOWN_GRACE)
            logging.shutdown()
            os._exit(0)
        if self.failed:
            return EXIT_FAILED
        log.info("stopped cleanly")
        return 0

    def _scheduler_alive(self) -> bool:
        # APScheduler 3 keeps its loop thread in `_thread`; nothing public tells it died.
        thread = getattr(self.scheduler, "_thread", None)
        return thread is None or thread.is_alive()

    def _start(self) -> None:
        now = datetime.now(UTC)
        with self.ingest_lock:
            store = self.poll_app.store
            store.sync_feeds((f.name, f.url) for f in self.config.feeds)
            if released := release_orphaned_leases(store):
                log.warning("%d deliveries were mid-send when the last run died; sending them "
                            "again (same ids, so receivers can dedupe)", released)
        self.beat = new_heartbeat(BEAT_EVERY, str(self.config_path or self.config.path), now)
        self.beat_db = clone_app(self.poll_app, self.config, share_store=False).store.db
        limit_memory(self.poll_app.store, [self.deliver_app.store.db, self.beat_db])
        for feed in self.config.feeds:
            self._schedule_feed(feed, now)
        self._schedule_channels(self.config.channels, now)
        self.scheduler.add_job(self._guarded, IntervalTrigger(seconds=DELIVER_EVERY, timezone=self.tz),
                               args=["deliver", self._deliver_job], id="deliver",
                               executor="deliver", misfire_grace_time=DELIVER_EVERY * 3,
                               max_instances=2,
                               next_run_time=now)
        self.scheduler.add_job(self._guarded, jobs.cron_trigger(HOUSEKEEPING_CRON, self.tz),
                               args=["housekeeping", self._housekeeping_job], id="housekeeping",
                               executor="deliver", misfire_grace_time=6 * 3600)
        self.scheduler.start()
        self._beat()
        log.info("daemon started: pid %d, %d feeds, %d channels, database %s, time zone %s",
                 os.getpid(), len(self.config.feeds), len(self.config.channels), self.db_path,
                 self.config.timezone)

    def _on_stop_signal(self, signame: str) -> None:
        if not self.stop.is_set():
            log.info("%s received: finishing in-flight work, then stopping", signame)
        self.stop.set()
        self.wake.set()

    def _on_reload_signal(self, signame: str) -> None:
        log.info("%s received: reloading the configuration", signame)
        self.reload_requested.set()
        self.wake.set()

    def _shutdown(self) -> bool:
        """Stop taking work, wait (bounded) for in-flight jobs, record the stop. True if drained."""
        self.scheduler.shutdown(wait=False)  # queued runs see self.stop and return at once
        drained = self.flight.wait_idle(SHUTDOWN_GRACE)
        self.beat.stopped_at = datetime.now(UTC)
        self._beat()
        if drained:
            for app in (self.poll_app, self.deliver_app):
                if "store" in app.__dict__:
                    app.store.close()
            self.beat_db.close()
        return drained

    def _beat(self) -> None:
        now = datetime.now(UTC)
        self.beat.beat_at = now
        self.beat.last_cycle_at = self.stats.last_done
        self.beat.jobs_run, self.beat.jobs_failed, self.beat.jobs_missed = self.stats.counts()
        if self.beat.stopped_at is None:
            upcoming = sorted((j for j in self.scheduler.get_jobs() if j.next_run_time),
                              key=lambda j: j.next_run_time)[:8]
            self.beat.next_jobs = [{"id": j.id, "next_run": j.next_run_time.astimezone(UTC)
                                    .isoformat(timespec="seconds")} for j in upcoming]
        else:
            self.beat.next_jobs = []
        release_free_memory()
        try:
            write_heartbeat(self.beat_db, self.beat)
        except Exception:  # a locked or full disk must not kill the service; status will tell
            log.exception("could not write the heartbeat")

    # -- scheduling --------------------------------------------------------------------------

    def _schedule_feed(self, feed: FeedConfig, now: datetime) -> None:
        job_id = f"feed:{feed.name}"
        if not feed.enabled:
            self._remove(job_id)
            return
        with self.ingest_lock:
            state = self.poll_app.store.feed_state(feed.name)
        first = jobs.first_poll_at(now=now, interval=feed.interval, state_next_poll=state.next_poll)
        # The interval trigger is only a safety net: each run sets the real next run itself.
        safety = max(feed.interval, self.config.fetch.max_interval) * 2
        self.scheduler.add_job(
            self._guarded, IntervalTrigger(seconds=safety, timezone=self.tz),
            args=[job_id, self._poll_job, feed.name], id=job_id, name=job_id, executor="poll",
            misfire_grace_time=max(60, feed.interval), next_run_time=first,
            replace_existing=True)

    def _schedule_channels(self, channels: tuple[ChannelConfig, ...], now: datetime) -> None:
        for job in self.scheduler.get_jobs():
            if job.id.startswith("digest:"):
                job.remove()
        for channel in channels:
            if not channel.schedule:
                continue
            job_id = f"digest:{channel.name}"
            trigger = jobs.cron_trigger(channel.schedule, self.tz)
            with self.deliver_lock:
                last = last_digest_at(self.deliver_app.store, channel.name)
            missed = last is not None and jobs.digest_due(channel.schedule, self.tz, last, now)
            if missed:
                log.info("digest for %s missed its last scheduled run; sending it now", channel.name)
            self.scheduler.add_job(
                self._guarded, trigger, args=[job_id, self._digest_job, channel.name], id=job_id,
                name=job_id, executor="deliver", misfire_grace_time=DIGEST_GRACE,
                **({"next_run_time": now + timedelta(seconds=2)} if missed else {}))

    def _remove(self, job_id: str) -> None:
        with contextlib.suppress(JobLookupError):
            self.scheduler.remove_job(job_id)

    def _reschedule(self, job_id: str, when: datetime) -> None:
        with contextlib.suppress(JobLookupError):  # removed by a reload meanwhile
            self.scheduler.modify_job(job_id, next_run_time=when)

    # -- jobs --------------------------------------------------------------------------------

    def _guarded(self, job_id: str, func, *args) -> None:
        """Every job runs through here: skipped once stopping, counted while in flight."""
        if self.stop.is_set():
            return
        with self.flight:
            func(*args)
        self.stats.done(datetime.now(UTC))

    def _poll_job(self, name: str) -> None:
        from monitor.pipeline import poll_feed

        app = self.poll_app
        feed = next((f for f in app.config.feeds if f.name == name), None)
        if feed is None or not feed.enabled:
            return
        job_id = f"feed:{name}"
        fetch = app.config.fetch
        deferred: list[bool] = []

        @contextlib.contextmanager
        def host_slot(url: str):
            with self.gate.slot(url, self.stop, HOST_WAIT) as granted:
                if not granted:
                    deferred.append(True)
                yield granted

        outcome = None
        try:
            outcome = poll_feed(app, feed, session=thread_session(fetch),
                                store_lock=lambda: self.ingest_lock, host_slot=host_slot)
        finally:
            now = datetime.now(UTC)
            with self.ingest_lock:
                state = app.store.feed_state(name)
                recent = new_last_week(app.store, name, now)
            interval = jobs.adaptive_interval(feed.interval, recent, fetch)
            if state.paused:  # a paused feed waits for `feeds resume`; look again later
                when = now + timedelta(seconds=jobs.with_jitter(max(feed.interval, 300)))
            elif deferred:  # its host was busy (or we are stopping): try again soon
                when = now + timedelta(seconds=jobs.with_jitter(2 + fetch.host_gap))
            else:
                when = jobs.next_poll_at(now=now, interval=interval, configured=feed.interval,
                                         state_next_poll=state.next_poll,
                                         failing=state.consecutive_failures > 0)
            with self.ingest_lock:
                record_schedule(app.store, name, when, interval)
            self._reschedule(job_id, when)
        if outcome is not None and outcome.alerts:
            self.kick_delivery()

    def kick_delivery(self) -> None:
        """Run the deliver job now (or once more right after the running one)."""
        self._deliver_again.set()
        self._reschedule("deliver", datetime.now(UTC))

    def _deliver_job(self) -> None:
        """Drain the outbox. Runs are serialised by a non-blocking lock rather than by
        max_instances, so a kick during a run never shows up as a skipped job: the running
        one simply goes round once more."""
        from alerts.outbox import deliver_due

        if not self._delivering.acquire(blocking=False):
            self._deliver_again.set()
            return
        try:
            while True:
                self._deliver_again.clear()
                app = self.deliver_app
                with self.deliver_lock:
                    report = deliver_due(app.store, app.channels, datetime.now(UTC), force=False,
                                         timezone=app.config.timezone)
                if report.delivered or report.retrying or report.dead or report.disabled:
                    log.info("deliveries: %s", report.describe().splitlines()[0])
                if self.stop.is_set() or not self._deliver_again.is_set():
                    break
        finally:
            self._delivering.release()
        if self._deliver_again.is_set() and not self.stop.is_set():
            self.kick_delivery()  # a kick landed between our last check and the release

    def _digest_job(self, channel: str) -> None:
        app = self.deliver_app
        if channel not in {c.name for c in app.config.channels}:
            return
        with self.deliver_lock:
            code = digest_in_child(app.config, app.db_path, channel, self.stop, SHUTDOWN_GRACE)
        if code != 0:
            raise RuntimeError(f"digest for {channel}: child process exited with {code}")

    def _housekeeping_job(self) -> None:
        """Daily: retention prune, planner statistics, WAL truncate; VACUUM (which rewrites the
        whole file while polls wait) only on Sundays."""
        storage = self.config.storage
        full = datetime.now(self.tz).weekday() == 6
        with self.ingest_lock, self.deliver_lock:
            store = self.poll_app.store
            pruned = store.prune(storage.keep_days, storage.keep_days_irrelevant)
            if full:
                store.vacuum()
            else:
                store.db.execute("PRAGMA optimize")
                store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        log.info("housekeeping: pruned %d relevant and %d irrelevant articles%s",
                 pruned.relevant_deleted, pruned.irrelevant_deleted, "; vacuumed" if full else "")

    # -- reload ------------------------------------------------------------------------------

    def reload(self) -> bool:
        """Re-read the config; apply it if valid, else log why and keep the running one."""
        from monitor.app import read_config
        from monitor.config import ConfigError
        from monitor.logs import register_config_secrets

        try:
            new = read_config(self.config_path)
            if Path(self.poll_app.db_path or new.storage.path) != self.db_path:
                raise ConfigError([f"{new.path}: storage.path: changing the database needs a "
                                   "restart"])
            if new.timezone != self.config.timezone:
                raise ConfigError([f"{new.path}: schedule.timezone: changing the time zone "
                                   "needs a restart"])
            candidate = clone_app(self.deliver_app, new, share_store=True)
            _ = candidate.channels  # building the channels validates their settings
        except ConfigError as exc:
            log.error("config reload rejected, keeping the running config:\n%s",
                      config_problem_lines(exc))
            return False
        except Exception as exc:
            log.error("config reload rejected, keeping the running config: %s", exc)
            return False
        register_config_secrets(new)
        old = self.config
        with self.ingest_lock, self.deliver_lock:
            self.poll_app = clone_app(self.poll_app, new, share_store=True)
            self.deliver_app = candidate
            if new.fetch != old.fetch:
                self.gate = jobs.HostGate(new.fetch)
            self.poll_app.store.sync_feeds((f.name, f.url) for f in new.feeds)
        now = datetime.now(UTC)
        before = {f.name: f for f in old.feeds}
        after = {f.name: f for f in new.feeds}
        for name in before.keys() - after.keys():
            self._remove(f"feed:{name}")
        changed = [f for n, f in after.items() if before.get(n) != f]
        for feed in changed:
            self._schedule_feed(feed, now)
        self._schedule_channels(new.channels, now)
        log.info("config reloaded: %d feeds (%d added, %d removed, %d changed), %d channels",
                 len(after), len(after.keys() - before.keys()), len(before.keys() - after.keys()),
                 len([f for f in changed if f.name in before]), len(new.channels))
        return True


def run_daemon(app: App, config_path: Path | None = None) -> int:
    """The `run` command: serve until SIGTERM/SIGINT. Returns the process exit code."""
    from monitor.logs import register_config_secrets

    register_config_secrets(app.config)
    return Daemon(app, config_path).run()


from monitor.once import run_once  # noqa: E402,F401  (the CLI imports both from here)

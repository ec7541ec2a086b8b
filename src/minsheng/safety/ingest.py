"""The MQTT ingester: `minsheng safety iot ingest`.

Delivery guarantee: it subscribes with QoS 1 on a persistent MQTT v5 session (fixed client
id, clean_start=False, session expiry), so the broker queues messages while it is down.
Messages are acknowledged (PUBACK, manual ack) only after the batch holding them is
committed to the database; a crash before that makes the broker deliver them again, and
storage is idempotent, so nothing delivered is lost or stored twice.

While the database is unavailable the batch is retried with backoff; new messages wait in
a bounded buffer. When the buffer is full further messages are dropped from memory and
counted (`dropped`); they were not acknowledged, so after the database is back the
ingester reconnects and the broker delivers them again.

Throughput (benchmarks/iot_ingest.py): the network thread only appends to the buffer; the
main thread takes a batch every `INGEST_FLUSH_SECONDS` (or `INGEST_BATCH` messages),
validates and stores it with one INSERT per chunk, evaluates the rules over the batch and
acknowledges the whole batch with one socket write. paho reads the socket in large chunks
(`_Client`) instead of one system call per header byte.
"""

from __future__ import annotations

import logging
import queue
import struct
import threading
import time
import uuid
from collections import deque

import paho.mqtt.client as mqtt
from django.db import close_old_connections
from django.db.utils import DatabaseError, InterfaceError, OperationalError
from django.utils import timezone
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from minsheng.safety.config import setting
from minsheng.safety.services.iot import Message, Pipeline

log = logging.getLogger("minsheng.safety.ingest")
DB_ERRORS = (OperationalError, InterfaceError, DatabaseError)
PUBACK = struct.Struct("!BBH")


class _Client(mqtt.Client):
    """paho's client, tuned for a high message rate. Two internals of paho-mqtt 2.x are
    used (tests/safety/test_broker.py goes through them against a real broker):

    - `_sock_recv`: paho reads each packet's header one byte per recv() call, three or
      four system calls per message; here the socket is read 256 KiB at a time and
      packets are served from that buffer (`loop_read` continues while it holds bytes,
      since select() cannot see them);
    - `_packet_queue`: `ack_many` queues the PUBACKs of a whole batch as one write.
    """

    READ_SIZE = 256 * 1024

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._rsock = None
        self._rbuf = b""
        self._rpos = 0

    def _sock_recv(self, bufsize: int) -> bytes:
        if self._rsock is not self._sock:  # a new connection: the old bytes are void
            self._rsock, self._rbuf, self._rpos = self._sock, b"", 0
        if self._rpos >= len(self._rbuf):
            data = super()._sock_recv(self.READ_SIZE)
            if not data:
                return data
            self._rbuf, self._rpos = data, 0
        start = self._rpos
        self._rpos = start + bufsize
        return self._rbuf[start:self._rpos]

    def loop_read(self, max_packets: int = 1) -> mqtt.MQTTErrorCode:
        rc = super().loop_read(max_packets)
        while (rc == mqtt.MQTTErrorCode.MQTT_ERR_SUCCESS and self._sock is not None
               and self._rsock is self._sock and self._rpos < len(self._rbuf)):
            rc = super().loop_read(max_packets)
        return rc

    def ack_many(self, mids: list[int]) -> None:
        """PUBACK for each QoS 1 message id, in one packet-queue entry (one write)."""
        if mids:
            pack = PUBACK.pack
            self._packet_queue(mqtt.PUBACK, b"".join(pack(mqtt.PUBACK, 2, m) for m in mids),
                               0, 0)


class Buffer:
    """Bounded FIFO between the network thread (put) and the main thread (take)."""

    def __init__(self, maxsize: int):
        self.maxsize = maxsize
        self.items: deque = deque()

    def put_nowait(self, item) -> None:
        if len(self.items) >= self.maxsize:
            raise queue.Full
        self.items.append(item)

    def qsize(self) -> int:
        return len(self.items)

    def take(self, limit: int, seconds: float) -> list:
        """Up to `limit` items, waiting at most `seconds` for the batch to fill."""
        items = self.items
        deadline = time.monotonic() + seconds
        limit = min(limit, self.maxsize)  # a full buffer cannot fill further
        while len(items) < limit:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            time.sleep(min(left, 0.005))
        popleft = items.popleft
        return [popleft() for _ in range(min(limit, len(items)))]


def _v5(protocol: str) -> bool:
    return str(protocol) not in ("3.1.1", "311", "4")


def new_mqtt_client(client_id: str, protocol: str) -> _Client:
    """A persistent-session client with manual acks: MQTT 5 (clean start off, session
    expiry at connect) or 3.1.1 (clean_session False: RabbitMQ 3.10 keeps the session's
    queue, durable and on disk, until the session is removed)."""
    if _v5(protocol):
        return _Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id,
                       protocol=mqtt.MQTTv5, manual_ack=True)
    return _Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id,
                   protocol=mqtt.MQTTv311, clean_session=False, manual_ack=True)


def subscription(prefix: str, group: str) -> str:
    topic = f"{prefix}/sensor/+"
    return f"$share/{group}/{topic}" if group else topic


class AlarmLane:
    """Threshold and low-limit alarms on arrival, not behind the backlog of readings.

    A second persistent session (`<client id>-alarms`, QoS 1) receives the same messages;
    its thread evaluates only the stateless rules (threshold, low limit) and opens or
    counts the incident at once, then acknowledges. It does not store readings, so it
    keeps up while the storing session works through a backlog; the storing pipeline then
    leaves these rules to the lane (`Pipeline.lane_rules`). Killed, it resumes from its
    own durable queue: an alarm is late, never missed (a redelivered trigger may count
    once more in the incident's repeat count)."""

    RULES = frozenset({"threshold", "low"})

    def __init__(self, ingester: Ingester):
        self.ingester = ingester
        self.client_id = f"{ingester.client_id}-alarms"
        self.pipeline = Pipeline(prefix=ingester.prefix)
        self.buffer = Buffer(ingester.receive_maximum)
        self.connection = 0
        self.connected = threading.Event()
        self.thread: threading.Thread | None = None
        group = f"{ingester.share_group}-alarms" if ingester.share_group else ""
        self.topic = subscription(ingester.prefix, group)
        self.client = new_mqtt_client(self.client_id, ingester.protocol)
        self.client.on_connect = self._on_connect
        self.client.on_message = self._on_message
        self.client.on_disconnect = lambda *a: self.connected.clear()
        self.client.reconnect_delay_set(min_delay=1, max_delay=10)
        self.latencies: list[float] = []

    def _on_connect(self, client, userdata, flags, reason_code, properties):
        if reason_code.is_failure:
            log.error("broker refused the alarm lane: %s", reason_code)
            return
        self.connection += 1
        client.subscribe(self.topic, qos=1)
        self.connected.set()

    def _on_message(self, client, userdata, msg):
        message = Message(msg.topic, msg.payload, msg.mid, self.connection)
        while True:  # the lane is light: wait for room rather than drop
            try:
                self.buffer.put_nowait(message)
                return
            except queue.Full:
                if self.ingester.stopping.wait(0.005):
                    return

    def start(self) -> None:
        self.ingester.connect(self.client)
        self.client.loop_start()
        self.thread = threading.Thread(target=self._loop, name="alarm-lane", daemon=True)
        self.thread.start()

    def _loop(self) -> None:
        stopping = self.ingester.stopping
        try:
            while not stopping.is_set():
                items = self.buffer.take(5000, 0.02)
                items = [m for m in items if m.connection == self.connection]
                if not items:
                    continue
                delay = 0.2
                while not stopping.is_set():
                    try:
                        self.pipeline.alarm_now(items, self.RULES)
                        break
                    except DB_ERRORS as exc:
                        log.warning("alarm lane: database unavailable (%s)",
                                    exc.__class__.__name__)
                        close_old_connections()
                        stopping.wait(delay)
                        delay = min(delay * 2, 5.0)
                else:
                    return
                self.client.ack_many([m.mid for m in items if m.mid])
        finally:
            close_old_connections()

    def stop(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()
        if self.thread is not None:
            self.thread.join(10)


class Ingester:
    def __init__(self, *, host: str | None = None, port: int | None = None,
                 client_id: str | None = None, buffer: int | None = None,
                 batch: int | None = None, flush_seconds: float | None = None,
                 pipeline: Pipeline | None = None, protocol: str | None = None,
                 share_group: str | None = None, alarm_lane: bool | None = None):
        self.host = host or setting("MQTT_HOST")
        self.port = port or setting("MQTT_PORT")
        self.client_id = client_id or setting("MQTT_CLIENT_ID")
        self.prefix = setting("MQTT_TOPIC_PREFIX")
        self.protocol = str(protocol or setting("MQTT_PROTOCOL"))
        self.share_group = setting("MQTT_SHARE_GROUP") if share_group is None else share_group
        self.batch = batch or setting("INGEST_BATCH")
        self.flush_seconds = flush_seconds or setting("INGEST_FLUSH_SECONDS")
        self.buffer = Buffer(buffer or setting("INGEST_BUFFER"))
        self.pipeline = pipeline or Pipeline(prefix=self.prefix)
        self.connected = threading.Event()
        self.stopping = threading.Event()
        self.consuming = threading.Event()  # the main loop takes batches (database up)
        self.wait_for_room = 20.0
        self.needs_redelivery = False
        self.connection = 0  # counts connections: a message id is acked where it came from
        self.resent_before = 0  # messages of earlier connections the broker sends again
        self.receive_maximum = max(1, min(setting("MQTT_RECEIVE_MAXIMUM"),
                                          self.buffer.maxsize // 2))
        self.started_at = timezone.now()
        self.client = self._client()
        if alarm_lane is None:
            alarm_lane = setting("INGEST_ALARM_LANE")
        self.lane = AlarmLane(self) if alarm_lane else None
        if self.lane is not None:
            self.pipeline.lane_rules = AlarmLane.RULES

    def _client(self) -> mqtt.Client:
        client = new_mqtt_client(self.client_id, self.protocol)
        client.on_connect = self._on_connect
        client.on_disconnect = self._on_disconnect
        client.on_message = self._on_message
        client.reconnect_delay_set(min_delay=1, max_delay=10)
        return client

    def _connect_properties(self) -> Properties:
        props = Properties(PacketTypes.CONNECT)
        props.SessionExpiryInterval = setting("MQTT_SESSION_EXPIRY_SECONDS")
        # flow control: the broker never has more unacknowledged messages out to us than
        # half the buffer holds (the other half: an earlier connection's messages still
        # waiting), so the buffer does not overflow when the database is slow or down
        props.ReceiveMaximum = self.receive_maximum
        return props

    def _on_connect(self, client, userdata, flags, reason_code, properties):
        if reason_code.is_failure:
            log.error("broker refused the connection: %s", reason_code)
            return
        # messages of an earlier connection are acknowledged when the broker sends them
        # again on this one (their message ids may mean other messages now)
        self.connection += 1
        if flags.session_present:
            # the broker resends every unacknowledged message of the session: the copies
            # still in our buffer are skipped, not stored twice over
            self.resent_before = self.connection
        # QoS 1; the subscription survives in the session, re-subscribing is harmless
        client.subscribe(subscription(self.prefix, self.share_group), qos=1)
        self.connected.set()
        log.info("connected to %s:%s as %s (session present: %s)", self.host, self.port,
                 self.client_id, flags.session_present)

    def _on_disconnect(self, client, userdata, flags, reason_code, properties):
        self.connected.clear()
        if not self.stopping.is_set():
            log.warning("disconnected from broker (%s); reconnecting", reason_code)

    def _on_message(self, client, userdata, msg):
        message = Message(msg.topic, msg.payload, msg.mid, self.connection)
        try:
            self.buffer.put_nowait(message)
            return
        except queue.Full:
            pass
        # Back-pressure first: while the main loop is storing batches, wait for room (the
        # socket is not read meanwhile, so TCP holds the broker back; Mosquitto 2.0 does
        # not keep to our Receive Maximum when it sends a resumed session's queue).
        deadline = time.monotonic() + self.wait_for_room
        while self.consuming.is_set() and time.monotonic() < deadline:
            time.sleep(0.005)
            try:
                self.buffer.put_nowait(message)
                return
            except queue.Full:
                continue
        # the database is down: not acknowledged, the broker sends it again after a
        # reconnect
        self.pipeline.counters.dropped += 1
        self.needs_redelivery = True

    def connect(self, client: mqtt.Client) -> None:
        if _v5(self.protocol):
            client.connect_async(self.host, self.port, keepalive=30, clean_start=False,
                                 properties=self._connect_properties())
        else:  # 3.1.1: clean_session was given to the client; the broker's prefetch limits
            client.connect_async(self.host, self.port, keepalive=30)

    def start(self) -> None:
        if self.lane is not None:
            self.lane.start()
        self.connect(self.client)
        self.client.loop_start()

    def stop(self) -> None:
        self.stopping.set()
        self.client.disconnect()
        self.client.loop_stop()
        if self.lane is not None:
            self.lane.stop()

    def _take(self) -> list[Message]:
        items = self.buffer.take(self.batch, self.flush_seconds)
        resent_before = self.resent_before
        if items and items[0].connection < resent_before:
            items = [m for m in items if m.connection >= resent_before]
        return items

    def _ack(self, items: list[Message]) -> None:
        current = self.connection
        mids = [m.mid for m in items if m.connection == current and m.mid]
        if hasattr(self.client, "ack_many"):
            self.client.ack_many(mids)
        else:
            for mid in mids:
                self.client.ack(mid, 1)

    def _store(self, items: list[Message]) -> None:
        delay = 0.2
        while True:
            try:
                self.pipeline.process(items)
                return
            except DB_ERRORS as exc:
                self.consuming.clear()
                self.pipeline.counters.db_retries += 1
                log.warning("database unavailable (%s); retrying %d messages in %.1f s",
                            exc.__class__.__name__, len(items), delay)
                close_old_connections()
                if self.stopping.wait(delay):
                    raise
                delay = min(delay * 2, 5.0)

    def run(self, *, seconds: float | None = None, on_batch=None, stop_when=None) -> None:
        """Process until stopped (or for `seconds`, or until `stop_when()` is true). Acks
        follow each commit."""
        self.start()
        end = time.monotonic() + seconds if seconds else None
        last_state = last_silent = time.monotonic()
        try:
            while not self.stopping.is_set() and (end is None or time.monotonic() < end):
                self.consuming.set()
                items = self._take()
                if items:
                    self._store(items)
                    self._ack(items)
                    if on_batch:
                        on_batch(len(items))
                # behind: a whole further batch is already waiting
                caught_up = self.buffer.qsize() < self.batch
                if stop_when is not None and stop_when():
                    break
                now = time.monotonic()
                if now - last_state >= 2:
                    self._housekeeping()
                    last_state = now
                if now - last_silent >= 10 and caught_up:
                    # not while behind: a sensor whose readings wait in the buffer is
                    # not silent
                    self.pipeline.check_silent()
                    last_silent = now
                if self.needs_redelivery and self.buffer.qsize() == 0:
                    # the messages dropped from memory were never acknowledged
                    self.needs_redelivery = False
                    self.client.reconnect()
        finally:
            self.consuming.clear()
            try:
                self._housekeeping()
            except DB_ERRORS:
                log.exception("could not save the ingester state")
            self.stop()

    def _housekeeping(self) -> None:
        self.pipeline.flush_state()
        self.pipeline.save_status(self.client_id, self.started_at, self.connected.is_set(),
                                  self.buffer.qsize())


def new_client_id(prefix: str = "minsheng-sim") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"

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
"""

from __future__ import annotations

import logging
import queue
import threading
import time
import uuid

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


class Ingester:
    def __init__(self, *, host: str | None = None, port: int | None = None,
                 client_id: str | None = None, buffer: int | None = None,
                 batch: int | None = None, flush_seconds: float | None = None,
                 pipeline: Pipeline | None = None):
        self.host = host or setting("MQTT_HOST")
        self.port = port or setting("MQTT_PORT")
        self.client_id = client_id or setting("MQTT_CLIENT_ID")
        self.prefix = setting("MQTT_TOPIC_PREFIX")
        self.batch = batch or setting("INGEST_BATCH")
        self.flush_seconds = flush_seconds or setting("INGEST_FLUSH_SECONDS")
        self.buffer: queue.Queue = queue.Queue(maxsize=buffer or setting("INGEST_BUFFER"))
        self.pipeline = pipeline or Pipeline(prefix=self.prefix)
        self.connected = threading.Event()
        self.stopping = threading.Event()
        self.needs_redelivery = False
        self.started_at = timezone.now()
        self.client = self._client()

    def _client(self) -> mqtt.Client:
        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=self.client_id,
                             protocol=mqtt.MQTTv5, manual_ack=True)
        client.on_connect = self._on_connect
        client.on_disconnect = self._on_disconnect
        client.on_message = self._on_message
        client.reconnect_delay_set(min_delay=1, max_delay=10)
        return client

    def _connect_properties(self) -> Properties:
        props = Properties(PacketTypes.CONNECT)
        props.SessionExpiryInterval = setting("MQTT_SESSION_EXPIRY_SECONDS")
        props.ReceiveMaximum = setting("MQTT_RECEIVE_MAXIMUM")
        return props

    def _on_connect(self, client, userdata, flags, reason_code, properties):
        if reason_code.is_failure:
            log.error("broker refused the connection: %s", reason_code)
            return
        # QoS 1; the subscription survives in the session, re-subscribing is harmless
        client.subscribe(f"{self.prefix}/sensor/+", qos=1)
        self.connected.set()
        log.info("connected to %s:%s as %s (session present: %s)", self.host, self.port,
                 self.client_id, flags.session_present)

    def _on_disconnect(self, client, userdata, flags, reason_code, properties):
        self.connected.clear()
        if not self.stopping.is_set():
            log.warning("disconnected from broker (%s); reconnecting", reason_code)

    def _on_message(self, client, userdata, msg):
        try:
            self.buffer.put_nowait(Message(msg.topic, msg.payload, msg.mid))
        except queue.Full:
            # not acknowledged: the broker keeps it and sends it again after a reconnect
            self.pipeline.counters.dropped += 1
            self.needs_redelivery = True

    def start(self) -> None:
        self.client.connect_async(self.host, self.port, keepalive=30, clean_start=False,
                                  properties=self._connect_properties())
        self.client.loop_start()

    def stop(self) -> None:
        self.stopping.set()
        self.client.disconnect()
        self.client.loop_stop()

    def _take(self) -> list[Message]:
        items: list[Message] = []
        deadline = time.monotonic() + self.flush_seconds
        while len(items) < self.batch:
            timeout = deadline - time.monotonic()
            if timeout <= 0:
                break
            try:
                items.append(self.buffer.get(timeout=timeout))
            except queue.Empty:
                break
        return items

    def _store(self, items: list[Message]) -> None:
        delay = 0.2
        while True:
            try:
                self.pipeline.process(items)
                return
            except DB_ERRORS as exc:
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
                items = self._take()
                if items:
                    self._store(items)
                    for m in items:
                        self.client.ack(m.mid, 1)
                    if on_batch:
                        on_batch(len(items))
                if stop_when is not None and stop_when():
                    break
                now = time.monotonic()
                if now - last_state >= 2:
                    self._housekeeping()
                    last_state = now
                if now - last_silent >= 10:
                    self.pipeline.check_silent()
                    last_silent = now
                if self.needs_redelivery and self.buffer.qsize() == 0:
                    # the messages dropped from memory were never acknowledged
                    self.needs_redelivery = False
                    self.client.reconnect()
        finally:
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

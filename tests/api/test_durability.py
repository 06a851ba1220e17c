"""Durability: a stream of submissions from several threads, `kill -9` of the server in the
middle of it, a restart on the same data directory. Every submission that was acknowledged
with a 2xx must be in the raw export, and submissions whose answer never arrived can be
retried with their idempotency key without making duplicates."""

import http.client
import threading
import time
import unittest

from fachwerk_client import FachwerkTestCase, unique

EXPERTS = 6
THREADS_PER_EXPERT = 2
ITEMS = 1500
ACKED_BEFORE_KILL = 80


class KillDashNineTest(FachwerkTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lab, cls.owner_user, cls.owner = cls.create_lab_with_owner()
        cls.experts = [cls.create_expert({"biology": 3}) for _ in range(EXPERTS)]

    def test_acknowledged_submissions_survive_kill_9(self):
        p = self.create_project(self.owner, preset="classification", domain="biology",
                                redundancy=1)
        pid = p["id"]
        self.import_items(self.owner, pid, [{"text": f"cell {n}"} for n in range(ITEMS)])

        lock = threading.Lock()
        acked = {}      # submission id -> (expert index, assignment id, key)
        in_flight = []  # (expert index, assignment id, key, answer) with no answer received
        failures = []
        stop = threading.Event()

        def work(ix, client):
            while not stop.is_set():
                try:
                    r = self.next_task(client, pid)
                except (OSError, http.client.HTTPException):
                    return  # the server is gone; nothing was leased that we know of
                if r.status != 200 or r.json["assignment"] is None:
                    with lock:
                        failures.append(r.describe())
                    return
                a = r.json["assignment"]
                key, answer = unique("dur"), {"label": "correct", "confidence": 1 + ix % 5}
                try:
                    s = self.submit(client, a["id"], answer, key)
                except (OSError, http.client.HTTPException):
                    with lock:
                        in_flight.append((ix, a["id"], key, answer))
                    return
                with lock:
                    if s.status in (200, 201):
                        acked[s.json["id"]] = (ix, a["id"], key)
                    else:
                        failures.append(s.describe())
                        return

        threads = [threading.Thread(target=work, args=(ix, c), daemon=True)
                   for ix, (_, c) in enumerate(self.experts) for _ in range(THREADS_PER_EXPERT)]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with lock:
                if len(acked) >= ACKED_BEFORE_KILL or failures:
                    break
            time.sleep(0.01)
        self.server.kill9()
        stop.set()
        for t in threads:
            t.join(40)
        self.assertFalse(any(t.is_alive() for t in threads), "workers hung after the kill")
        self.assertEqual(failures, [])
        self.assertGreaterEqual(len(acked), ACKED_BEFORE_KILL,
                                "too few submissions before the kill to mean anything")
        self.assertLess(len(acked), ITEMS, "the kill should land mid-stream")

        self.server.start()
        owner = self.login(self.owner_user["email"])
        experts = [self.login(u["email"]) for u, _ in self.experts]

        rows = self.export(owner, pid, "raw")
        exported = {r["submission_id"] for r in rows}
        lost = sorted(set(acked) - exported)
        self.assertEqual(lost, [], f"{len(lost)} of {len(acked)} acknowledged submissions "
                                   f"are gone after kill -9")

        # Retries after the crash: an acknowledged one returns the same submission; one whose
        # answer was lost is either found (200) or stored now (201), never twice.
        for sid, (ix, asg, key) in list(acked.items())[:5]:
            r = self.assertStatus(self.submit(experts[ix], asg, {"label": "correct",
                                                                "confidence": 1 + ix % 5}, key),
                                  200)
            self.assertEqual(r.json["id"], sid)
        for ix, asg, key, answer in in_flight:
            r = self.assertStatus(self.submit(experts[ix], asg, answer, key), 200, 201)
            acked[r.json["id"]] = (ix, asg, key)

        rows = self.export(owner, pid, "raw")
        ids = [r["submission_id"] for r in rows]
        self.assertEqual(len(ids), len(set(ids)), "duplicate rows in the export")
        self.assertEqual(set(acked) - set(ids), set())
        items = [r["item_id"] for r in rows]
        self.assertEqual(len(items), len(set(items)), "an item with k=1 was submitted twice")
        counts = self.assertStatus(owner.get(f"/api/v1/projects/{pid}"), 200).json["counts"]
        self.assertEqual(counts["submissions"], len(rows))

        # The restarted server keeps working.
        a = self.assertStatus(self.next_task(experts[0], pid), 200).json["assignment"]
        self.assertIsNotNone(a)
        self.assertStatus(self.submit(experts[0], a["id"], {"label": "unsure"}), 201)

        # A graceful stop (SIGTERM) exits 0 and loses nothing either.
        before = len(self.export(owner, pid, "raw"))
        self.assertEqual(self.server.stop(), 0, self.server.log_tail(2000))
        self.server.start()
        owner = self.login(self.owner_user["email"])
        self.assertEqual(len(self.export(owner, pid, "raw")), before)


if __name__ == "__main__":
    unittest.main()

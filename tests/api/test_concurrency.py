"""Many experts at once: 32 threads (16 experts, 2 threads each) take and submit tasks of one
project with redundancy 2 until there is no work. No item may be given to more than k experts,
none twice to one expert, and every item must end with exactly k submissions."""

import collections
import threading
import time
import unittest

from fachwerk_client import FachwerkTestCase, unique

EXPERTS = 16
THREADS_PER_EXPERT = 2
ITEMS = 120
K = 2


class ConcurrentWorkTest(FachwerkTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lab, _, cls.owner = cls.create_lab_with_owner()
        cls.experts = [cls.create_expert({"chemistry": 2}) for _ in range(EXPERTS)]

    def test_32_threads_respect_redundancy_and_never_repeat_an_item(self):
        p = self.create_project(self.owner, preset="classification", domain="chemistry",
                                redundancy=K)
        pid = p["id"]
        self.import_items(self.owner, pid, [{"text": f"reaction {n}", "n": n}
                                            for n in range(ITEMS)])
        item_ids = {i["id"] for i in self.list_items(self.owner, pid)}
        self.assertEqual(len(item_ids), ITEMS)

        lock = threading.Lock()
        given = []        # (expert index, assignment id, item id) for every assignment handed out
        submitted = {}    # submission id -> (expert index, item id)
        failures = []     # unexpected responses and transport errors
        deadline = time.monotonic() + 120

        def work(ix, client):
            try:
                while time.monotonic() < deadline:
                    r = self.next_task(client, pid)
                    if r.status != 200:
                        with lock:
                            failures.append(r.describe())
                        return
                    a = r.json["assignment"]
                    if a is None:
                        return
                    with lock:
                        given.append((ix, a["id"], a["item"]["id"]))
                    s = self.submit(client, a["id"], {"label": "correct"}, unique("c"))
                    with lock:
                        if s.status in (200, 201):
                            submitted[s.json["id"]] = (ix, s.json["item_id"])
                        elif s.status == 409:
                            # The other thread of this expert may hold the same assignment
                            # and have submitted it first; anything else is a failure.
                            if sum(1 for g in given if g[:2] == (ix, a["id"])) < 2:
                                failures.append(s.describe())
                        else:
                            failures.append(s.describe())
            except Exception as e:
                with lock:
                    failures.append(f"expert {ix}: {type(e).__name__}: {e}")

        threads = [threading.Thread(target=work, args=(ix, client), daemon=True)
                   for ix, (_, client) in enumerate(self.experts)
                   for _ in range(THREADS_PER_EXPERT)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(max(1, deadline - time.monotonic()))
        self.assertFalse(any(t.is_alive() for t in threads), "workers did not finish in time")
        self.assertEqual(failures, [], self.server.log_tail(2000))

        # Threads stop at the first empty answer, which may come while items are leased to
        # others; one sweep finishes whatever is left, one expert at a time.
        for ix, (_, client) in enumerate(self.experts):
            while True:
                a = self.assertStatus(self.next_task(client, pid), 200).json["assignment"]
                if a is None:
                    break
                given.append((ix, a["id"], a["item"]["id"]))
                s = self.assertStatus(self.submit(client, a["id"], {"label": "correct"}), 201)
                submitted[s.json["id"]] = (ix, s.json["item_id"])

        experts_per_item = collections.defaultdict(set)
        assignments_per_pair = collections.defaultdict(set)
        for ix, asg, item in given:
            self.assertIn(item, item_ids)
            experts_per_item[item].add(ix)
            assignments_per_pair[(ix, item)].add(asg)
        over = {i: e for i, e in experts_per_item.items() if len(e) > K}
        self.assertEqual(over, {}, f"items given to more than k={K} experts")
        twice = {pair: a for pair, a in assignments_per_pair.items() if len(a) > 1}
        self.assertEqual(twice, {}, "an expert got the same item twice")

        rows = self.export(self.owner, pid, "raw")
        self.assertEqual(sorted(r["submission_id"] for r in rows), sorted(submitted))
        per_item = collections.Counter(r["item_id"] for r in rows)
        self.assertEqual(set(per_item), item_ids)
        wrong = {i: n for i, n in per_item.items() if n != K}
        self.assertEqual(wrong, {}, f"items without exactly k={K} submissions")
        pseudonyms = collections.defaultdict(set)
        for r in rows:
            pseudonyms[r["item_id"]].add(r["expert"])
        self.assertTrue(all(len(s) == K for s in pseudonyms.values()),
                        "each item's k submissions come from k distinct experts")

        counts = self.assertStatus(self.owner.get(f"/api/v1/projects/{pid}"), 200).json["counts"]
        self.assertEqual(counts["submissions"], ITEMS * K)
        self.assertEqual(counts["complete_items"], ITEMS)


if __name__ == "__main__":
    unittest.main()

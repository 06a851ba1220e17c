"""Submissions: validation against the template (422 with one detail per failing question,
nothing stored), idempotent retries, and leases (expiry, heartbeat, skip)."""

import threading
import time
import unittest

from fachwerk_client import FachwerkTestCase, unique


class _Base(FachwerkTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lab, cls.owner_user, cls.owner = cls.create_lab_with_owner()
        cls.ann_user, cls.ann = cls.create_expert({"physics": 3})
        cls.ben_user, cls.ben = cls.create_expert({"physics": 3})

    def project_with_items(self, n=1, preset="classification", **kw):
        p = self.create_project(self.owner, preset=preset, domain="physics", **kw)
        rows = {"classification": lambda i: {"text": f"claim {i}"},
                "preference": lambda i: {"prompt": f"p{i}", "response_a": "a",
                                         "response_b": "b"},
                "rubric": lambda i: {"prompt": f"p{i}", "response": "r"}}[preset]
        self.import_items(self.owner, p["id"], [rows(i) for i in range(n)])
        return p

    def take(self, expert, project_id):
        a = self.assertStatus(self.next_task(expert, project_id), 200).json["assignment"]
        self.assertIsNotNone(a, "expected a task")
        return a

    def counts(self, project_id):
        return self.assertStatus(self.owner.get(f"/api/v1/projects/{project_id}"),
                                 200).json["counts"]


class AnswerValidationTest(_Base):

    def assertDetails(self, resp, expected):
        """resp is a 422 whose details are exactly `expected` ({field: code})."""
        err = self.assertError(resp, 422, "unprocessable")
        got = {d["field"]: d.get("code") for d in err.get("details") or []}
        self.assertEqual(got, expected, resp.describe())
        for d in err["details"]:
            self.assertTrue(d.get("message"), d)

    def test_bad_answer_lists_every_failing_question_and_stores_nothing(self):
        p = self.project_with_items()
        a = self.take(self.ann, p["id"])
        url = f"/api/v1/assignments/{a['id']}/submit"
        self.assertDetails(self.submit(self.ann, a["id"], {"label": "maybe", "confidence": 9}),
                           {"answer.label": "not_an_option", "answer.confidence": "out_of_range"})
        self.assertDetails(self.submit(self.ann, a["id"], {"confidence": 2.5, "mood": "x"}),
                           {"answer.label": "required", "answer.confidence": "type",
                            "answer.mood": "unknown_question"})
        self.assertDetails(self.submit(self.ann, a["id"], {"label": 3}), {"answer.label": "type"})
        self.assertDetails(self.submit(self.ann, a["id"], "correct"), {"answer": "type"})
        # A body without an answer is malformed, not a bad answer.
        r = self.ann.post(url, {"idempotency_key": unique("k")})
        self.assertError(r, 400, "invalid_argument")
        self.assertIn("answer", r.detail_fields, r.describe())

        self.assertEqual(self.counts(p["id"])["submissions"], 0)
        self.assertEqual(self.export(self.owner, p["id"]), [])
        # The assignment is still open: a good answer goes through.
        self.assertStatus(self.submit(self.ann, a["id"], {"label": "correct"}), 201)
        self.assertEqual(len(self.export(self.owner, p["id"])), 1)

    def test_bad_answer_of_a_preference_template(self):
        p = self.project_with_items(preset="preference")
        a = self.take(self.ann, p["id"])
        self.assertDetails(self.submit(self.ann, a["id"], {"preference": {"choice": "C"},
                                                            "rationale": 5}),
                           {"answer.preference": "not_an_option", "answer.rationale": "type"})
        self.assertDetails(self.submit(self.ann, a["id"], {"preference": {"choice": "A"}}),
                           {"answer.preference": "missing_strength"})
        self.assertDetails(self.submit(self.ann, a["id"],
                                       {"preference": {"choice": "tie", "strength": 1}}),
                           {"answer.preference": "unexpected_strength"})
        self.assertEqual(self.counts(p["id"])["submissions"], 0)

    def test_bad_answer_of_a_rubric_template(self):
        p = self.project_with_items(preset="rubric")
        a = self.take(self.ann, p["id"])
        r = self.submit(self.ann, a["id"], {"rubric": {"correctness": True, "reasoning": 7}})
        err = self.assertError(r, 422, "unprocessable")
        self.assertEqual([d["field"] for d in err["details"]], ["answer.rubric"], r.describe())
        self.assertIn(err["details"][0]["code"], ("out_of_range", "missing_criterion"))
        self.assertStatus(self.submit(self.ann, a["id"], {
            "rubric": {"correctness": True, "reasoning": 3, "clarity": 0, "comment": "ok"}}),
            201)


class IdempotencyTest(_Base):

    def test_retry_with_the_same_key_returns_the_same_submission(self):
        p = self.project_with_items()
        a = self.take(self.ann, p["id"])
        key = unique("idem")
        first = self.assertStatus(self.submit(self.ann, a["id"], {"label": "correct"}, key), 201)
        again = self.assertStatus(self.submit(self.ann, a["id"], {"label": "correct"}, key), 200)
        self.assertEqual(again.json["id"], first.json["id"])
        self.assertEqual(again.json["answer"], {"label": "correct"})
        # The same answer written differently (member order, 3 vs 3.0) is the same answer.
        self.assertStatus(self.submit(self.ann, a["id"], {"label": "correct"}, key), 200)
        # A different answer under the same key is refused, and the first one stays.
        other = self.submit(self.ann, a["id"], {"label": "incorrect"}, key)
        self.assertError(other, 409, "conflict", "idempotency_key_conflict")
        rows = self.export(self.owner, p["id"])
        self.assertEqual([r["submission_id"] for r in rows], [first.json["id"]])
        self.assertEqual(rows[0]["answer"], {"label": "correct"})
        self.assertEqual(self.counts(p["id"])["submissions"], 1)

    def test_the_same_answer_written_differently_replays(self):
        p = self.project_with_items()
        a = self.take(self.ann, p["id"])
        key = unique("json-equal")
        first = self.assertStatus(self.submit(self.ann, a["id"],
                                              {"label": "correct", "confidence": 3}, key), 201)
        url = f"/api/v1/assignments/{a['id']}/submit"
        again = self.ann.post(url, raw='{"idempotency_key": "%s", "answer": '
                                       '{"confidence": 3.0, "label": "correct"}}' % key,
                              content_type="application/json")
        self.assertStatus(again, 200)
        self.assertEqual(again.json["id"], first.json["id"])
        self.assertError(self.submit(self.ann, a["id"], {"label": "correct", "confidence": 4}, key),
                         409, "conflict", "idempotency_key_conflict")
        self.assertError(self.submit(self.ann, a["id"], {"label": "correct"}, key),
                         409, "conflict", "idempotency_key_conflict")
        self.assertEqual(self.counts(p["id"])["submissions"], 1)

    def test_idempotency_key_header(self):
        p = self.project_with_items()
        a = self.take(self.ann, p["id"])
        url = f"/api/v1/assignments/{a['id']}/submit"
        hdr = {"Idempotency-Key": unique("hdr")}
        first = self.assertStatus(self.ann.post(url, {"answer": {"label": "unsure"}},
                                                headers=hdr), 201)
        again = self.assertStatus(self.ann.post(url, {"answer": {"label": "unsure"}},
                                                headers=hdr), 200)
        self.assertEqual(again.json["id"], first.json["id"])
        self.assertEqual(len(self.export(self.owner, p["id"])), 1)

    def test_keys_are_not_shared_between_assignments_or_experts(self):
        """A key names one submission of one assignment: the same key on another assignment,
        or from another expert, must never return somebody else's submission."""
        p = self.project_with_items(n=3, redundancy=2)
        key = "retry-1"  # a key two naive clients could both pick
        a1 = self.take(self.ann, p["id"])
        s1 = self.assertStatus(self.submit(self.ann, a1["id"], {"label": "correct"}, key),
                               201).json
        b1 = self.take(self.ben, p["id"])
        r = self.assertStatus(self.submit(self.ben, b1["id"], {"label": "incorrect"}, key), 201)
        self.assertNotEqual(r.json["id"], s1["id"])
        self.assertEqual(r.json["assignment_id"], b1["id"])
        a2 = self.take(self.ann, p["id"])
        r = self.submit(self.ann, a2["id"], {"label": "unsure"}, key)
        if r.status in (200, 201):
            self.assertEqual(r.json["assignment_id"], a2["id"], "another assignment's result")
            self.assertNotEqual(r.json["id"], s1["id"])
        else:
            self.assertStatus(r, 409, 422)
        answers = {row["submission_id"]: row["answer"] for row in self.export(self.owner, p["id"])}
        self.assertEqual(answers[s1["id"]], {"label": "correct"})

    def test_concurrent_retries_make_one_submission(self):
        p = self.project_with_items()
        a = self.take(self.ann, p["id"])
        key = unique("race")
        results, errors = [], []
        barrier = threading.Barrier(8, timeout=20)

        def worker():
            try:
                barrier.wait()
                results.append(self.submit(self.ann, a["id"], {"label": "correct"}, key))
            except Exception as e:  # reported below
                errors.append(e)

        threads = [threading.Thread(target=worker, daemon=True) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        self.assertEqual(errors, [])
        self.assertEqual(len(results), 8)
        for r in results:
            self.assertStatus(r, 200, 201)
        self.assertEqual(len({r.json["id"] for r in results}), 1, [r.text for r in results])
        self.assertEqual(sorted(r.status for r in results), [200] * 7 + [201])
        self.assertEqual(len(self.export(self.owner, p["id"])), 1)


class LeaseTest(_Base):
    server_args = ("--min-lease-seconds", "1")

    def test_expired_lease_returns_the_item_and_refuses_the_late_submit(self):
        p = self.project_with_items(n=1, redundancy=1, lease_seconds=2)
        self.assertEqual(p["lease_seconds"], 2)
        a = self.take(self.ann, p["id"])
        self.assertIsNone(self.next_task(self.ben, p["id"]).json["assignment"],
                          "the only item is leased to Ann")
        time.sleep(3)
        b = None
        deadline = time.monotonic() + 10
        while b is None and time.monotonic() < deadline:
            b = self.assertStatus(self.next_task(self.ben, p["id"]), 200).json["assignment"]
            if b is None:
                time.sleep(0.25)
        self.assertIsNotNone(b, "the expired item should go back to the pool")
        self.assertEqual(b["item"]["id"], a["item"]["id"])

        late = self.submit(self.ann, a["id"], {"label": "correct"})
        self.assertError(late, 409, "conflict", "lease_expired")
        self.assertError(self.ann.post(f"/api/v1/assignments/{a['id']}/heartbeat", {}), 409,
                         "conflict", "lease_expired")
        self.assertIsNone(self.next_task(self.ann, p["id"]).json["assignment"],
                          "an expert never gets the same item twice")
        s = self.assertStatus(self.submit(self.ben, b["id"], {"label": "incorrect"}), 201).json
        rows = self.export(self.owner, p["id"])
        self.assertEqual([r["submission_id"] for r in rows], [s["id"]])

    def test_heartbeat_keeps_the_lease(self):
        p = self.project_with_items(n=1, redundancy=1, lease_seconds=2)
        a = self.take(self.ann, p["id"])
        for _ in range(4):
            time.sleep(1)
            self.assertStatus(self.ann.post(f"/api/v1/assignments/{a['id']}/heartbeat",
                                            {"active_seconds": 1}), 200)
        self.assertIsNone(self.next_task(self.ben, p["id"]).json["assignment"])
        self.assertStatus(self.submit(self.ann, a["id"], {"label": "correct"}), 201)

    def test_skipped_item_goes_to_someone_else_never_back(self):
        p = self.project_with_items(n=1, redundancy=1)
        a = self.take(self.ann, p["id"])
        self.assertStatus(self.ann.post(f"/api/v1/assignments/{a['id']}/skip",
                                        {"reason": "outside my field"}), 200)
        self.assertIsNone(self.next_task(self.ann, p["id"]).json["assignment"])
        b = self.take(self.ben, p["id"])
        self.assertEqual(b["item"]["id"], a["item"]["id"])
        self.assertStatus(self.submit(self.ann, a["id"], {"label": "correct"}), 404, 409)

    def test_lease_below_the_minimum_is_rejected(self):
        r = self.owner.post("/api/v1/projects", {"name": unique("p"), "preset": "classification",
                                                 "domain": "physics", "lease_seconds": 0})
        self.assertError(r, 400, "invalid_argument")
        self.assertIn("lease_seconds", r.detail_fields, r.describe())


if __name__ == "__main__":
    unittest.main()

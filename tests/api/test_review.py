"""Review: a project's policy (defaults, 422 naming the member, another lab 404); a submission
held for review goes to a qualified reviewer, never to its author; rework goes back to the
expert with the comment and the revision to the same reviewer, with the earlier round in its
history; the same decision twice or at once decides once (409 `already_decided` for another);
work that is not sampled is accepted automatically once the approval window ends (window 0,
the pass every second on this server); the lab's summary shows experts by pseudonym."""

import re
import threading
import time

from fachwerk_client import FachwerkTestCase, unique


class ReviewTest(FachwerkTestCase):
    server_args = ["--review-interval-seconds", "1", "--min-lease-seconds", "1"]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lab, cls.owner_user, cls.owner = cls.create_lab_with_owner(unique("Aurora"))
        cls.other_lab, _, cls.other_owner = cls.create_lab_with_owner(unique("Borealis"))
        cls.author_user, cls.author = cls.create_expert({"physics": (4, True)})
        cls.reviewer_user, cls.reviewer = cls.create_expert({"physics": (4, True)})
        cls.junior_user, cls.junior = cls.create_expert({"physics": (2, True)})

    # -- helpers ---------------------------------------------------------------------------

    def project(self, policy, items=4, **settings):
        p = self.create_project(self.owner, name=unique("Optics"), preset="classification",
                                domain="physics", min_level=3, redundancy=3, **settings)
        self.import_items(self.owner, p["id"], [{"data": {"text": f"claim {n}"},
                                                 "external_id": f"c-{n}"} for n in range(items)])
        self.assertStatus(self.owner.put(f"/api/v1/projects/{p['id']}/review-policy", policy),
                          200)
        return p["id"]

    def work(self, expert, pid, label="correct"):
        a = self.assertStatus(self.next_task(expert, pid), 200).json["assignment"]
        self.assertIsNotNone(a, "the project has work left")
        return self.assertStatus(self.submit(expert, a["id"], {"label": label}), 201).json

    def my_answer(self, expert, submission_id):
        answers = self.assertStatus(expert.get("/api/v1/me/answers"), 200).json["answers"]
        mine = [a for a in answers if a["submission_id"] == submission_id]
        self.assertEqual(len(mine), 1, answers)
        return mine[0]

    def decide(self, reviewer, review_id, body):
        return reviewer.post(f"/api/v1/review/{review_id}/decision", body)

    def aggregate(self, pid, item_id):
        """The quality report's label for the item, after a pass on demand."""
        self.assertStatus(self.owner.post(f"/api/v1/projects/{pid}/quality/refresh"), 200)
        page = self.assertStatus(self.owner.get(f"/api/v1/projects/{pid}/quality/items"),
                                 200).json
        labels = [a["answer"] for a in page["aggregates"]
                  if a["item_id"] == item_id and a["question"] == "label"]
        self.assertEqual(len(labels), 1, page)
        return labels[0]

    def metric(self, name):
        text = self.assertStatus(self.op.get("/metrics"), 200).text
        found = re.search(rf"^{re.escape(name)} (\S+)$", text, re.M)
        self.assertIsNotNone(found, f"{name} in {text}")
        return float(found.group(1))

    # -- the policy ------------------------------------------------------------------------

    def test_policy_defaults_errors_by_member_and_another_lab(self):
        p = self.create_project(self.owner, preset="classification", domain="physics")
        path = f"/api/v1/projects/{p['id']}/review-policy"
        got = self.assertStatus(self.owner.get(path), 200).json
        self.assertEqual(got["mode"], "sample")
        self.assertEqual(got["sample"], {"new": 0.5, "low_accuracy": 0.5, "trusted": 0.1})
        self.assertEqual((got["approval_window_days"], got["time_cap_seconds"]), (7, None))
        err = self.assertError(self.owner.put(path, {"mode": "most", "approval_window_days": 61,
                                                     "sample": {"new": 1.5}}), 422)
        self.assertEqual({d["field"] for d in err["details"]},
                         {"mode", "approval_window_days", "sample.new"})
        put = self.assertStatus(self.owner.put(path, {"mode": "free_text",
                                                      "time_cap_seconds": 900}), 200).json
        self.assertEqual((put["mode"], put["time_cap_seconds"]), ("free_text", 900))
        self.assertEqual(self.assertStatus(self.owner.get(path), 200).json, put)
        self.assertError(self.other_owner.get(path), 404, "not_found")
        self.assertError(self.other_owner.put(path, {"mode": "all"}), 404, "not_found")
        self.assertError(self.other_owner.get(f"/api/v1/projects/{p['id']}/review/summary"),
                         404, "not_found")
        self.assertError(self.author.get(path), 403, "permission_denied")

    def test_an_sft_project_is_scored_on_the_labs_review_form(self):
        p = self.create_project(self.owner, name=unique("Derivations"), preset="sft",
                                domain="physics", min_level=3)
        pid = p["id"]
        self.import_items(self.owner, pid, [{"data": {"prompt": f"Derive law {n}."}}
                                            for n in range(3)])
        path = f"/api/v1/projects/{pid}/review-policy"
        self.assertIsNone(self.assertStatus(self.owner.get(path), 200).json["form"])
        err = self.assertError(self.owner.put(path, {"form": {"questions": [
            {"name": "steps", "type": "rating", "min": 3, "max": 1}]}}), 422)
        self.assertEqual([d["field"][:17] for d in err["details"]], ["form.questions[0]"])
        err = self.assertError(self.owner.put(path, {"form": ["steps"]}), 422)
        self.assertEqual([(d["field"], d["code"]) for d in err["details"]], [("form", "type")])
        form = {"questions": [
            {"name": "quality", "type": "rubric", "title": "Quality", "criteria": [
                {"name": "correct", "title": "Correct", "kind": "pass_fail"},
                {"name": "rigour", "title": "Rigour", "kind": "points", "max_points": 3}]},
            {"name": "verdict", "type": "label", "options": ["publishable", "not yet"],
             "required": False}]}
        put = self.assertStatus(self.owner.put(path, {"mode": "all", "form": form}), 200).json
        self.assertEqual([q["name"] for q in put["form"]["questions"]], ["quality", "verdict"])
        self.assertEqual(self.assertStatus(self.owner.get(path), 200).json["form"], put["form"])

        a = self.assertStatus(self.next_task(self.author, pid), 200).json["assignment"]
        self.assertStatus(self.submit(self.author, a["id"], {"response": "By Gauss."}), 201)
        task = self.assertStatus(self.reviewer.post("/api/v1/review/next", {"project_id": pid}),
                                 200).json
        self.assertEqual(task["form"], put["form"])
        err = self.assertError(self.decide(self.reviewer, task["id"], {"outcome": "accept"}),
                               422)
        self.assertEqual([(d["field"], d["code"]) for d in err["details"]],
                         [("scores.quality", "required")])
        scores = {"quality": {"correct": True, "rigour": 2}, "verdict": "publishable"}
        self.assertStatus(self.decide(self.reviewer, task["id"],
                                      {"outcome": "accept", "scores": scores}), 200)
        summary = self.assertStatus(self.owner.get(f"/api/v1/projects/{pid}/review/summary"),
                                    200).json
        self.assertEqual(summary["scored"], 1)
        by = {(x["question"], x["criterion"]): x for x in summary["scores"]}
        self.assertEqual((by[("quality", "correct")]["kind"], by[("quality", "correct")]["mean"]),
                         ("pass_fail", 1))
        self.assertEqual((by[("quality", "rigour")]["mean"], by[("quality", "rigour")]["max"]),
                         (2, 3))
        self.assertEqual(by[("verdict", None)]["counts"],
                         [{"option": "publishable", "count": 1}, {"option": "not yet", "count": 0}])
        self.assertError(self.other_owner.get(f"/api/v1/projects/{pid}/review/summary"), 404,
                         "not_found")

    # -- the reviewer's loop ---------------------------------------------------------------

    def test_review_never_goes_to_the_author_and_rework_round_trips(self):
        pid = self.project({"mode": "all"})
        sub = self.work(self.author, pid, "incorrect")
        self.assertEqual(self.my_answer(self.author, sub["id"])["status"], "in_review")
        self.assertEqual(self.aggregate(pid, sub["item_id"]), "incorrect")
        rework_before = self.metric("fachwerk_review_rework_total")
        accepted_before = self.metric('fachwerk_review_decisions_total{outcome="accepted"}')

        # The author is a qualified reviewer, but never of their own work; a reviewer below
        # the project's level is refused.
        self.assertStatus(self.author.post("/api/v1/review/next", {"project_id": pid}), 204)
        self.assertError(self.junior.post("/api/v1/review/next", {"project_id": pid}), 403,
                         "permission_denied", "not_qualified")
        projects = self.assertStatus(self.reviewer.get("/api/v1/review/projects"), 200).json
        mine = [p for p in projects["projects"] if p["id"] == pid]
        self.assertEqual(len(mine), 1, projects)
        self.assertEqual((mine[0]["waiting"], mine[0]["domain"]), (1, "physics"))

        task = self.assertStatus(self.reviewer.post("/api/v1/review/next", {"project_id": pid}),
                                 200).json
        self.assertTrue(task["id"].startswith("rvw_"), task)
        self.assertEqual((task["submission_id"], task["round"], task["hold"]),
                         (sub["id"], 1, "all"))
        self.assertEqual(task["answer"], {"label": "incorrect"})
        self.assertIn("questions", task["template"])
        claims = self.assertStatus(self.reviewer.get("/api/v1/review/claims"), 200).json
        self.assertEqual([c["id"] for c in claims["claims"]], [task["id"]])

        err = self.assertError(self.decide(self.reviewer, task["id"], {"outcome": "rework"}),
                               422)
        self.assertEqual([d["field"] for d in err["details"]], ["comment"])
        err = self.assertError(self.decide(self.reviewer, task["id"],
                                           {"outcome": "reject", "reason": "boring",
                                            "comment": "x"}), 422)
        self.assertEqual([d["field"] for d in err["details"]], ["reason"])
        r = self.assertStatus(self.decide(self.reviewer, task["id"],
                                          {"outcome": "rework", "comment": "Check the sign."}),
                              200).json
        self.assertEqual((r["status"], r["outcome"]), ("rework", "rework"))

        answer = self.my_answer(self.author, sub["id"])
        self.assertEqual((answer["status"], answer["comment"]), ("rework", "Check the sign."))
        self.assertIsNotNone(answer["due_at"])
        rework = self.assertStatus(self.author.get("/api/v1/work/rework"), 200).json["rework"]
        self.assertEqual(len(rework), 1, rework)
        self.assertEqual((rework[0]["submission_id"], rework[0]["answer"], rework[0]["comment"]),
                         (sub["id"], {"label": "incorrect"}, "Check the sign."))

        path = f"/api/v1/work/rework/{sub['id']}"
        self.assertError(self.reviewer.post(path, {"answer": {"label": "correct"},
                                                   "idempotency_key": "r1"}), 404, "not_found")
        err = self.assertError(self.author.post(path, {"answer": {"label": "perhaps"},
                                                       "idempotency_key": "r1"}), 422)
        self.assertEqual(err["details"][0]["field"], "answer.label")
        body = {"answer": {"label": "correct"}, "idempotency_key": "r1", "active_seconds": 0}
        revised = self.assertStatus(self.author.post(path, body), 200).json
        self.assertEqual(revised, {"submission_id": sub["id"], "round": 2,
                                   "status": "in_review"})
        self.assertEqual(self.assertStatus(self.author.post(path, body), 200).json, revised)
        self.assertError(self.author.post(path, {"answer": {"label": "unsure"},
                                                 "idempotency_key": "r1"}), 409, "conflict",
                         "idempotency_key_conflict")
        # The quality report follows the revision.
        self.assertEqual(self.aggregate(pid, sub["item_id"]), "correct")

        again = self.assertStatus(self.reviewer.post("/api/v1/review/next", {"project_id": pid}),
                                  200).json
        self.assertEqual((again["submission_id"], again["round"]), (sub["id"], 2))
        self.assertEqual(again["answer"], {"label": "correct"})
        self.assertEqual([(h["round"], h["outcome"], h["answer"]) for h in again["history"]],
                         [(1, "rework", {"label": "incorrect"})])
        accept = {"outcome": "accept", "comment": "Good now."}
        done = self.assertStatus(self.decide(self.reviewer, again["id"], accept), 200).json
        self.assertEqual((done["status"], done["outcome"]), ("accepted", "accept"))
        self.assertEqual(self.assertStatus(self.decide(self.reviewer, again["id"], accept),
                                           200).json, done)
        self.assertError(self.decide(self.reviewer, again["id"],
                                     {"outcome": "reject", "reason": "spam", "comment": "no"}),
                         409, "conflict", "already_decided")
        answer = self.my_answer(self.author, sub["id"])
        self.assertEqual((answer["status"], answer["outcome"], answer["round"]),
                         ("accepted", "accepted", 2))
        self.assertEqual(self.metric("fachwerk_review_rework_total"), rework_before + 1)
        self.assertEqual(
            self.metric('fachwerk_review_decisions_total{outcome="accepted"}'),
            accepted_before + 1)

        # The lab sees the decision on the item's submissions and in the raw export, never who
        # took it.
        review = {"status": "accepted", "outcome": "accepted", "reason": None,
                  "comment": "Good now.", "round": 2, "scores": None}
        item_path = f"/api/v1/projects/{pid}/items/{sub['item_id']}/submissions"
        lines = self.assertStatus(self.owner.get(item_path), 200).json["submissions"]
        self.assertEqual([(s["answer"], s["review"]) for s in lines],
                         [({"label": "correct"}, review)])
        exported = self.assertStatus(self.owner.get(f"/api/v1/projects/{pid}/export",
                                                    query={"format": "raw"}), 200).jsonl()
        self.assertEqual([r["review"] for r in exported], [review])
        for text in (str(lines), str(exported)):
            self.assertNotIn(self.reviewer_user["email"], text)
            self.assertNotIn(self.reviewer_user["id"], text)
        self.assertError(self.other_owner.get(item_path), 404, "not_found")

        summary = self.assertStatus(self.owner.get(f"/api/v1/projects/{pid}/review/summary"),
                                    200).json
        self.assertEqual(summary["counts"], {"pending": 0, "in_review": 0, "rework": 0,
                                             "accepted": 1, "rejected": 0})
        self.assertEqual(len(summary["experts"]), 1)
        expert = summary["experts"][0]
        self.assertTrue(expert["pseudonym"].startswith("ex_"), expert)
        self.assertEqual((expert["decided"], expert["accepted"], expert["acceptance_rate"]),
                         (1, 1, 1.0))
        self.assertNotIn(self.author_user["email"], str(summary))
        self.assertEqual(summary["agreement"], {"pairs": 0, "agreeing": 0, "rate": None})

    def test_the_same_decision_at_once_decides_once(self):
        pid = self.project({"mode": "all"})
        sub = self.work(self.author, pid)
        task = self.assertStatus(self.reviewer.post("/api/v1/review/next", {"project_id": pid}),
                                 200).json
        results = []

        def decide():
            results.append(self.decide(self.reviewer, task["id"],
                                       {"outcome": "reject", "reason": "quality",
                                        "comment": "too short"}))

        threads = [threading.Thread(target=decide) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual([r.status for r in results], [200] * 6, [r.describe() for r in results])
        self.assertEqual({r.json["status"] for r in results}, {"rejected"})
        answer = self.my_answer(self.author, sub["id"])
        self.assertEqual((answer["status"], answer["outcome"], answer["reason"]),
                         ("rejected", "rejected_quality", "quality"))
        summary = self.assertStatus(self.owner.get(f"/api/v1/projects/{pid}/review/summary"),
                                    200).json
        self.assertEqual(summary["counts"]["rejected"], 1)
        self.assertStatus(self.reviewer.post(f"/api/v1/review/{task['id']}/release"), 409)

    def test_unsampled_work_is_accepted_after_the_window(self):
        pid = self.project({"sample": {"new": 0, "low_accuracy": 0, "trusted": 0},
                            "approval_window_days": 0})
        sub = self.work(self.author, pid)
        deadline = time.monotonic() + 15
        while True:
            answer = self.my_answer(self.author, sub["id"])
            if answer["status"] != "pending" or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        self.assertEqual((answer["status"], answer["outcome"]), ("accepted", "auto_accepted"))
        self.assertIsNotNone(answer["decided_at"])
        # The pass counts what it accepted once its write job has committed.
        while (self.metric("fachwerk_review_auto_accepted_total") < 1 and
               time.monotonic() < deadline):
            time.sleep(0.1)
        self.assertGreaterEqual(self.metric("fachwerk_review_auto_accepted_total"), 1)
        self.assertStatus(self.reviewer.post("/api/v1/review/next", {"project_id": pid}), 204)
        only = self.assertStatus(self.author.get("/api/v1/me/answers",
                                                 query={"status": "pending"}), 200).json
        self.assertNotIn(sub["id"], str(only))
        self.assertError(self.author.get("/api/v1/me/answers", query={"status": "done"}), 400)

    def test_a_released_claim_and_a_missed_rework_go_back_to_review(self):
        pid = self.project({"mode": "all"}, lease_seconds=2)
        sub = self.work(self.author, pid)
        task = self.assertStatus(self.reviewer.post("/api/v1/review/next", {"project_id": pid}),
                                 200).json
        release = f"/api/v1/review/{task['id']}/release"
        self.assertStatus(self.reviewer.post(release), 204)
        self.assertStatus(self.reviewer.post(release), 204)
        self.assertEqual(self.assertStatus(self.reviewer.get("/api/v1/review/claims"),
                                           200).json, {"claims": []})
        self.assertError(self.decide(self.reviewer, task["id"], {"outcome": "accept"}), 409,
                         "conflict", "claim_expired")
        # The reviewer who released it does not see that round again; another one does.
        self.assertStatus(self.reviewer.post("/api/v1/review/next", {"project_id": pid}), 204)
        other_user, other = self.create_expert({"physics": (5, True)})
        task = self.assertStatus(other.post("/api/v1/review/next", {"project_id": pid}),
                                 200).json
        self.assertEqual(task["submission_id"], sub["id"])
        self.assertStatus(self.decide(other, task["id"], {"outcome": "rework",
                                                          "comment": "Say why."}), 200)
        time.sleep(3)  # past the project's 2 s lease: the time to revise
        self.assertError(self.author.post(f"/api/v1/work/rework/{sub['id']}", {
            "answer": {"label": "correct"}, "idempotency_key": "late"}), 409, "conflict",
            "rework_expired")
        self.assertEqual(self.my_answer(self.author, sub["id"])["status"], "in_review")
        self.assertEqual(self.assertStatus(self.author.get("/api/v1/work/rework"), 200).json,
                         {"rework": []})
        last = self.assertStatus(other.post("/api/v1/review/next", {"project_id": pid}),
                                 200).json
        self.assertEqual(last["round"], 2)
        self.assertError(self.decide(other, last["id"], {"outcome": "rework",
                                                         "comment": "Again."}), 409, "conflict",
                         "rework_not_allowed")
        self.assertStatus(self.decide(other, last["id"], {"outcome": "accept"}), 200)

    # -- signal ----------------------------------------------------------------------------

    def test_outcomes_feed_the_standing_and_exports_can_keep_only_accepted_work(self):
        pid = self.project({"mode": "all"})
        kept = self.work(self.author, pid, "correct")
        dropped = self.work(self.author, pid, "incorrect")
        for _ in range(2):
            task = self.assertStatus(
                self.reviewer.post("/api/v1/review/next", {"project_id": pid}), 200).json
            body = ({"outcome": "accept"} if task["submission_id"] == kept["id"] else
                    {"outcome": "reject", "reason": "spam", "comment": "copied"})
            self.assertStatus(self.decide(self.reviewer, task["id"], body), 200)
        standings = self.assertStatus(self.author.get("/api/v1/me/standings"), 200).json
        mine = [s for s in standings["standings"] if s["project_id"] == pid]
        self.assertEqual(len(mine), 1, standings)
        self.assertEqual((mine[0]["reviews"], mine[0]["reviews_accepted"]), (2, 1))

        path = f"/api/v1/projects/{pid}/export"
        every = self.assertStatus(self.owner.get(path, query={"format": "raw"}), 200).jsonl()
        self.assertEqual({r["submission_id"] for r in every}, {kept["id"], dropped["id"]})
        accepted = self.assertStatus(self.owner.get(path, query={
            "format": "raw", "accepted_only": "true"}), 200).jsonl()
        self.assertEqual([r["submission_id"] for r in accepted], [kept["id"]])
        err = self.assertError(self.owner.get(path, query={"format": "raw",
                                                           "accepted_only": "yes"}), 400)
        self.assertEqual(err["details"][0]["field"], "accepted_only")
        self.assertError(self.other_owner.get(path, query={"format": "raw",
                                                           "accepted_only": "true"}), 404)

"""Qualification exams over HTTP: the operator builds a bank, experts take it, gold grades what
it can and a qualified reviewer the rest; a pass grants the qualification (grounds "exam"), a
fail and the time limit end in the right 409 with nothing half-written, and labs see 404 on
every exam route."""

import json
import time
import unittest

from fachwerk_client import FachwerkTestCase, run_cli

LABEL = {"type": "label", "options": ["a", "b", "c"]}


class ExamsTest(FachwerkTestCase):
    # A one-second time limit and grace, so the deadline passes within the test.
    server_args = ("--min-exam-seconds", "1", "--exam-grace-seconds", "1")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lab, cls.owner_user, cls.owner = cls.create_lab_with_owner()

    # -- helpers ---------------------------------------------------------------------------

    def make_exam(self, domain, level, questions, draw=None, **settings):
        body = {"domain": domain, "level": level, "title": f"{domain} {level}",
                "description": "Answer **every** question; $x^2$ is fine.",
                "time_limit_seconds": 600, "pass_mark": 70, "cooldown_seconds": 3600,
                "draw_count": draw or len(questions), "valid_days": 365}
        body.update(settings)
        exam = self.assertStatus(self.op.post("/api/v1/exams", body), 201).json
        self.assertEqual(exam["status"], "draft")
        for q in questions:
            self.assertStatus(self.op.post(f"/api/v1/exams/{exam['id']}/questions", q), 201)
        r = self.op.patch(f"/api/v1/exams/{exam['id']}", {"status": "active"})
        return self.assertStatus(r, 200).json

    @staticmethod
    def label_question(gold="a", points=1):
        return {"prompt": f"Pick {gold}.", "points": points, "question": LABEL, "gold": gold}

    def start(self, client, exam, status=201):
        return self.assertStatus(client.post(f"/api/v1/exams/{exam['id']}/attempts", {}),
                                 status).json

    def submit(self, client, attempt, answers):
        return client.post(f"/api/v1/exam-attempts/{attempt['id']}/submit", {"answers": answers})

    def qualification(self, client, domain):
        me = self.assertStatus(client.get("/api/v1/me"), 200).json
        return next((q for q in me["qualifications"] if q["domain"] == domain), None)

    # -- the happy path --------------------------------------------------------------------

    def test_operator_builds_a_bank_and_an_expert_passes_on_gold(self):
        exam = self.make_exam("chemistry", 3, [self.label_question("a") for _ in range(3)],
                              draw=2)
        self.assertEqual((exam["status"], exam["active_questions"]), ("active", 3))
        full = self.assertStatus(self.op.get(f"/api/v1/exams/{exam['id']}"), 200).json
        self.assertEqual([q["gold"] for q in full["questions"]], ["a", "a", "a"])
        self.assertEqual({q["graded_by"] for q in full["questions"]}, {"gold"})

        user, expert = self.create_expert({})
        listed = self.assertStatus(expert.get("/api/v1/exams"), 200).json["exams"]
        mine = next(e for e in listed if e["id"] == exam["id"])
        self.assertEqual(mine["mine"]["status"], "available")
        self.assertNotIn("questions", mine)
        seen = self.assertStatus(expert.get(f"/api/v1/exams/{exam['id']}"), 200).json
        self.assertNotIn("questions", seen, "experts never read the bank")

        attempt = self.start(expert, exam)
        self.assertEqual(attempt["state"], "in_progress")
        self.assertEqual(len(attempt["questions"]), 2)
        self.assertEqual(attempt["grace_seconds"], 1)
        self.assertNotIn("gold", json.dumps(attempt), "the candidate never sees gold")
        again = self.start(expert, exam, status=200)
        self.assertTrue(again["resumed"])
        self.assertEqual((again["id"], again["deadline"]), (attempt["id"], attempt["deadline"]))

        # Saved answers survive a reload.
        some = {attempt["questions"][0]["id"]: "a"}
        self.assertStatus(expert.put(f"/api/v1/exam-attempts/{attempt['id']}/answers",
                                     {"answers": some}), 200)
        read = self.assertStatus(expert.get(f"/api/v1/exam-attempts/{attempt['id']}"), 200).json
        self.assertEqual(read["saved_answers"], some)

        done = self.assertStatus(
            self.submit(expert, attempt, {q["id"]: "a" for q in attempt["questions"]}), 200).json
        self.assertEqual((done["state"], done["score"], done["passed"]), ("passed", 100, True))
        self.assertTrue(done["qualification_granted"])
        self.assertEqual([q["points"] for q in done["questions"]], [1, 1])
        q = self.qualification(expert, "chemistry")
        self.assertEqual((q["level"], q["grounds"]["kind"], q["grounds"]["score"]),
                         (3, "exam", 100))
        self.assertIsNotNone(q["expires_at"])
        self.assertEqual(q["expires_at"], done["qualification_expires_at"])
        # A retried submit answers the same; other answers are a conflict.
        retry = self.submit(expert, attempt, {q["id"]: "a" for q in attempt["questions"]})
        self.assertEqual(self.assertStatus(retry, 200).json["score"], 100)
        self.assertError(self.submit(expert, attempt, {attempt["questions"][0]["id"]: "b"}),
                         409, "conflict", "already_submitted")
        mine = next(e for e in self.assertStatus(expert.get("/api/v1/exams"), 200).json["exams"]
                    if e["id"] == exam["id"])["mine"]
        self.assertEqual((mine["status"], mine["score"]), ("passed", 100))
        history = self.assertStatus(expert.get("/api/v1/exam-attempts"), 200).json["attempts"]
        self.assertEqual([a["id"] for a in history], [attempt["id"]])

    # -- failing, the cool-down, the clock -------------------------------------------------

    def test_a_failed_exam_grants_nothing_and_a_retake_inside_the_cooldown_is_409(self):
        exam = self.make_exam("biology", 3, [self.label_question("a") for _ in range(3)], draw=2)
        _, expert = self.create_expert({})
        attempt = self.start(expert, exam)
        done = self.assertStatus(
            self.submit(expert, attempt, {q["id"]: "b" for q in attempt["questions"]}), 200).json
        self.assertEqual((done["state"], done["score"], done["passed"]), ("failed", 0, False))
        self.assertIsNone(self.qualification(expert, "biology"))
        err = self.assertError(expert.post(f"/api/v1/exams/{exam['id']}/attempts", {}), 409,
                               "conflict", "cooldown")
        retake_at = err["details"][0]["message"]
        self.assertEqual(err["details"][0]["field"], "retake_at")
        self.assertIn(retake_at, err["message"], "the message names when")
        mine = next(e for e in self.assertStatus(expert.get("/api/v1/exams"), 200).json["exams"]
                    if e["id"] == exam["id"])["mine"]
        self.assertEqual((mine["status"], mine["can_start"], mine["retake_at"]),
                         ("cooldown", False, retake_at))
        self.assertEqual(len(self.assertStatus(expert.get("/api/v1/exam-attempts"),
                                               200).json["attempts"]), 1, "nothing started")

    def test_an_answer_after_the_time_limit_is_409_time_up_and_nothing_else_is_written(self):
        exam = self.make_exam("finance", 2, [self.label_question("a")], time_limit_seconds=1)
        _, expert = self.create_expert({})
        attempt = self.start(expert, exam)
        # Past the 1 s limit and the 1 s grace of this server, in whole seconds of its clock.
        time.sleep(3.2)
        self.assertError(self.submit(expert, attempt, {attempt["questions"][0]["id"]: "a"}),
                         409, "conflict", "time_up")
        read = self.assertStatus(expert.get(f"/api/v1/exam-attempts/{attempt['id']}"), 200).json
        self.assertEqual((read["state"], read["passed"], read["score"]), ("expired", False, None))
        self.assertEqual([q["answer"] for q in read["questions"]], [None])
        self.assertIsNone(self.qualification(expert, "finance"))
        self.assertError(self.submit(expert, attempt, {attempt["questions"][0]["id"]: "a"}),
                         409, "conflict", "time_up")
        self.assertError(expert.post(f"/api/v1/exams/{exam['id']}/attempts", {}), 409,
                         "conflict", "cooldown")

    def test_bad_answers_are_422_per_question_and_nothing_is_written(self):
        exam = self.make_exam("accounting", 2, [
            self.label_question("a"),
            {"prompt": "How many?", "question": {"type": "number", "integer": True,
                                                 "min": 0, "max": 10}, "gold": 4}])
        _, expert = self.create_expert({})
        attempt = self.start(expert, exam)
        by_type = {q["question"]["type"]: q["id"] for q in attempt["questions"]}
        r = self.submit(expert, attempt, {by_type["label"]: "z", by_type["number"]: 99})
        self.assertError(r, 422, "unprocessable")
        codes = {(d["field"], d["code"]) for d in r.error["details"]}
        self.assertEqual(codes, {(f"answers.{by_type['label']}", "not_an_option"),
                                 (f"answers.{by_type['number']}", "out_of_range")})
        r = self.submit(expert, attempt, {"exq_nonsense": "a"})
        self.assertError(r, 422, "unprocessable")
        self.assertEqual((r.error["details"][0]["field"], r.error["details"][0]["code"]),
                         ("answers.exq_nonsense", "unknown_question"))
        read = self.assertStatus(expert.get(f"/api/v1/exam-attempts/{attempt['id']}"), 200).json
        self.assertEqual(read["state"], "in_progress")

    # -- reviewers -------------------------------------------------------------------------

    def test_free_text_is_graded_by_a_qualified_reviewer_never_by_others(self):
        exam = self.make_exam("law", 4, [
            self.label_question("a", points=1),
            {"prompt": "Explain *consideration* in contract law.", "points": 3,
             "question": {"type": "text", "min_length": 5}}])
        _, candidate = self.create_expert({"law": (2, True)})
        _, reviewer = self.create_expert({"contract_law": (4, True)})
        _, low = self.create_expert({"law": (3, True)})
        _, no_rights = self.create_expert({"law": (5, False)})
        attempt = self.start(candidate, exam)
        answers = {q["id"]: ("a" if q["question"]["type"] == "label"
                             else "Something of value exchanged for a promise.")
                   for q in attempt["questions"]}
        done = self.assertStatus(self.submit(candidate, attempt, answers), 200).json
        self.assertEqual((done["state"], done["score"], done["passed"]), ("grading", None, None))
        self.assertError(candidate.post(f"/api/v1/exams/{exam['id']}/attempts", {}), 409,
                         "conflict", "grading")

        queue = self.assertStatus(reviewer.get("/api/v1/exam-gradings"), 200).json["gradings"]
        mine = [g for g in queue if g["exam"]["id"] == exam["id"]]
        self.assertEqual(len(mine), 1, "a sub-field reviewer at the level sees it")
        g = mine[0]
        self.assertEqual((g["max_points"], g["answer"]),
                         (3, "Something of value exchanged for a promise."))
        self.assertNotIn("expert", json.dumps(g), "the candidate stays anonymous")
        for other in (low, candidate):
            listed = self.assertStatus(other.get("/api/v1/exam-gradings"), 200).json["gradings"]
            self.assertNotIn(g["id"], [x["id"] for x in listed])
        self.assertError(low.post(f"/api/v1/exam-gradings/{g['id']}", {"points": 3}), 403,
                         "permission_denied", "not_qualified")
        self.assertError(candidate.post(f"/api/v1/exam-gradings/{g['id']}", {"points": 3}), 403,
                         "permission_denied", "own_attempt")
        self.assertError(no_rights.get("/api/v1/exam-gradings"), 403, "permission_denied")
        self.assertError(reviewer.post(f"/api/v1/exam-gradings/{g['id']}", {"points": 4}), 400,
                         "invalid_argument")

        comment = "Good; mention that past consideration does not count."
        body = {"points": 2, "comment": comment}
        graded = self.assertStatus(reviewer.post(f"/api/v1/exam-gradings/{g['id']}", body),
                                   200).json
        self.assertEqual(graded["points"], 2)
        result = self.assertStatus(candidate.get(f"/api/v1/exam-attempts/{attempt['id']}"),
                                   200).json
        self.assertEqual((result["state"], result["score"]), ("passed", 75))
        self.assertIn(comment, [q["comment"] for q in result["questions"]])
        q = self.qualification(candidate, "law")
        self.assertEqual((q["level"], q["reviewer"], q["grounds"]["kind"]), (4, True, "exam"))
        self.assertStatus(reviewer.post(f"/api/v1/exam-gradings/{g['id']}", body), 200)
        self.assertError(reviewer.post(f"/api/v1/exam-gradings/{g['id']}",
                                       {"points": 3, "comment": "changed"}),
                         409, "conflict", "already_graded")

    # -- the operator's checks and who may call what ---------------------------------------

    def test_bank_requests_name_the_field_at_fault(self):
        r = self.op.post("/api/v1/exams", {"domain": "alchemy", "level": 7, "title": "x"})
        self.assertError(r, 400, "invalid_argument")
        fields = {d["field"] for d in r.error["details"]}
        self.assertTrue({"level", "time_limit_seconds", "pass_mark", "cooldown_seconds",
                         "draw_count"} <= fields, fields)
        base = {"domain": "alchemy", "level": 1, "title": "x", "time_limit_seconds": 60,
                "pass_mark": 50, "cooldown_seconds": 0, "draw_count": 1}
        r = self.op.post("/api/v1/exams", base)
        self.assertEqual(self.assertError(r, 400, "invalid_argument")["details"][0]["field"],
                         "domain")
        exam = self.assertStatus(self.op.post("/api/v1/exams", {**base, "domain": "medicine"}),
                                 201).json
        self.assertError(self.op.post("/api/v1/exams", {**base, "domain": "medicine"}), 409,
                         "conflict", "exam_exists")
        self.assertError(self.op.patch(f"/api/v1/exams/{exam['id']}", {"status": "active"}),
                         409, "conflict", "too_few_questions")
        bad = self.op.post(f"/api/v1/exams/{exam['id']}/questions",
                           {"prompt": "?", "question": LABEL, "gold": "d"})
        self.assertEqual(self.assertError(bad, 400)["details"][0]["field"], "gold")
        bad = self.op.post(f"/api/v1/exams/{exam['id']}/questions",
                           {"prompt": "?", "question": {"type": "essay"}})
        self.assertEqual(self.assertError(bad, 400)["details"][0]["field"], "question.type")
        q = self.assertStatus(self.op.post(f"/api/v1/exams/{exam['id']}/questions",
                                           self.label_question()), 201).json
        retired = self.op.post(f"/api/v1/exams/{exam['id']}/questions/{q['id']}/retire", {})
        self.assertIsNotNone(self.assertStatus(retired, 200).json["retired_at"])

    def test_roles_labs_get_404_on_every_exam_route(self):
        exam = self.make_exam("computer_science", 5, [self.label_question("a")])
        _, expert = self.create_expert({})
        attempt = self.start(expert, exam)
        _, reviewer = self.create_expert({"computer_science": (5, True)})
        question = self.assertStatus(self.op.get(f"/api/v1/exams/{exam['id']}"),
                                     200).json["questions"][0]
        values = {"exam_id": exam["id"], "question_id": question["id"],
                  "attempt_id": attempt["id"], "grading_id": "grd_aaaaaaaaaaaaa"}
        routes = [r for r in json.loads(run_cli("routes", "--json").stdout)
                  if r["path"].startswith(("/api/v1/exams", "/api/v1/exam-"))]
        self.assertEqual(len(routes), 13)
        member = self.login(self.create_user("member", self.lab["id"])["email"])
        for route in routes:
            path = route["path"]
            for name, value in values.items():
                path = path.replace("{" + name + "}", value)
            body = {} if route["method"] in ("POST", "PUT", "PATCH") else None
            with self.subTest(route=f"{route['method']} {route['path']}"):
                for lab_user in (self.owner, member):
                    r = lab_user.request(route["method"], path, body)
                    self.assertError(r, 404, "not_found")
                    self.assertNotIn("Pick a", r.text)
        # Experts on operator routes, operators on expert and reviewer routes: 403.
        self.assertError(expert.post("/api/v1/exams", {}), 403, "permission_denied")
        self.assertError(expert.patch(f"/api/v1/exams/{exam['id']}", {}), 403)
        self.assertError(self.op.post(f"/api/v1/exams/{exam['id']}/attempts", {}), 403)
        self.assertError(self.op.get("/api/v1/exam-gradings"), 403, "permission_denied")
        self.assertError(reviewer.get(f"/api/v1/exam-attempts/{attempt['id']}"), 404,
                         "not_found")


if __name__ == "__main__":
    unittest.main()

"""Standing: an expert who answers a project's gold tasks wrongly is paused on that project once
there are enough gold checks, and told why; the operator sees the pause in the list and
reinstates with a reason (422 without one, 409 `not_paused` after), which starts a new window;
the project's lab sees its workforce by pseudonym only, and another lab gets 404."""

from fachwerk_client import FachwerkTestCase, unique

MIN_ACCURACY = 0.7
MIN_JUDGMENTS = 4


class StandingTest(FachwerkTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lab, cls.owner_user, cls.owner = cls.create_lab_with_owner(unique("Aurora"))
        cls.other_lab, _, cls.other_owner = cls.create_lab_with_owner(unique("Borealis"))
        cls.project = cls.create_project(cls.owner, name=unique("Optics"),
                                         preset="classification", domain="physics",
                                         min_level=3, redundancy=2, gold_rate=1.0)
        cls.pid = cls.project["id"]
        cls.set_standing(cls.project, min_gold_accuracy=MIN_ACCURACY,
                         min_judgments=MIN_JUDGMENTS)
        cls.import_items(cls.owner, cls.pid,
                         [{"data": {"text": f"gold claim {n}"}, "gold": {"label": "correct"},
                           "external_id": f"gold-{n}"} for n in range(10)]
                         + [{"data": {"text": f"claim {n}"}, "external_id": f"claim-{n}"}
                            for n in range(3)])
        cls.expert_user, cls.expert = cls.create_expert({"physics": 3})
        cls.good_user, cls.good = cls.create_expert({"physics": 4})

    # -- helpers ---------------------------------------------------------------------------

    @classmethod
    def set_standing(cls, project, **standing):
        """Sets the project's standing thresholds (the lab's requirements)."""
        cls._must(cls.owner.patch(f"/api/v1/projects/{project['id']}",
                                  {"requirements": {"standing": standing}}), 200)

    def work(self, expert, label):
        """Takes the next task of the project and answers it `label`; returns the item."""
        a = self.assertStatus(self.next_task(expert, self.pid), 200).json["assignment"]
        self.assertIsNotNone(a, "the project has work left")
        self.assertStatus(self.submit(expert, a["id"], {"label": label}), 201)
        return a

    def my_standing(self, expert):
        standings = self.assertStatus(expert.get("/api/v1/me/standings"), 200).json["standings"]
        mine = [s for s in standings if s["project_id"] == self.pid]
        self.assertEqual(len(mine), 1, standings)
        return mine[0]

    def paused_list(self):
        return self.assertStatus(self.op.get("/api/v1/standings", query={"paused": "true"}),
                                 200).json["standings"]

    def reinstate(self, body):
        return self.op.post(
            f"/api/v1/experts/{self.expert_user['id']}/standings/{self.pid}/reinstate", body)

    # -- the scenario ----------------------------------------------------------------------

    def test_a_paused_expert_is_told_why_listed_for_the_operator_and_reinstated(self):
        self.assertEqual(self.assertStatus(self.expert.get("/api/v1/me/standings"), 200).json,
                         {"standings": []})
        self.assertError(self.reinstate({"reason": "early"}), 404, "not_found")

        # Gold answered wrongly: below the threshold, but not before four gold checks.
        for _ in range(MIN_JUDGMENTS - 1):
            self.work(self.expert, "incorrect")
        st = self.my_standing(self.expert)
        self.assertEqual((st["judgments"], st["gold_total"], st["gold_correct"]),
                         (MIN_JUDGMENTS - 1, MIN_JUDGMENTS - 1, 0), st)
        self.assertEqual(st["gold_accuracy"], 0.0)
        self.assertFalse(st["paused"], st)
        self.assertEqual(st["reason"], "")
        self.assertNotIn(self.expert_user["id"], str(self.paused_list()))
        self.assertError(self.reinstate({"reason": "not yet"}), 409, "conflict", "not_paused")

        self.work(self.expert, "incorrect")
        st = self.my_standing(self.expert)
        self.assertTrue(st["paused"], st)
        self.assertEqual(st["reason"],
                         "paused: your gold accuracy on this project is 0% (below the project's "
                         "70%) over 4 gold tasks")
        self.assertEqual(st["project_name"], self.project["name"])
        # Paused: no new work from the project, the reason in the 403 and in the list of
        # projects the expert could unlock.
        err = self.assertError(self.next_task(self.expert, self.pid), 403, "permission_denied",
                               "paused")
        self.assertEqual(err["message"], st["reason"])
        listed = self.assertStatus(self.expert.get("/api/v1/work/projects"), 200).json
        self.assertNotIn(self.pid, [p["id"] for p in listed["projects"]])
        locked = next(p for p in listed["locked"] if p["id"] == self.pid)
        self.assertEqual(locked["unmet"], [{"reason": "paused", "message": st["reason"]}])
        for key in ("since", "changed_at"):
            self.assertRegex(st[key], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")

        # An expert who answers gold correctly is not paused.
        for _ in range(MIN_JUDGMENTS):
            self.work(self.good, "correct")
        good = self.my_standing(self.good)
        self.assertFalse(good["paused"], good)
        self.assertEqual(good["gold_accuracy"], 1.0)

        # The operator's list: the expert with the lab and the project.
        rows = [s for s in self.paused_list() if s["expert"]["id"] == self.expert_user["id"]]
        self.assertEqual(len(rows), 1, self.paused_list())
        row = rows[0]
        self.assertEqual(row["expert"]["email"], self.expert_user["email"])
        self.assertEqual(row["expert"]["name"], self.expert_user["name"])
        self.assertEqual(row["org"], {"id": self.lab["id"], "name": self.lab["name"]})
        self.assertEqual(row["project_id"], self.pid)
        self.assertEqual(row["reason"], st["reason"])
        everyone = self.assertStatus(self.op.get("/api/v1/standings"), 200).json["standings"]
        self.assertIn(self.good_user["id"], {s["expert"]["id"] for s in everyone})
        self.assertNotIn(self.good_user["id"], {s["expert"]["id"] for s in self.paused_list()})
        self.assertError(self.op.get("/api/v1/standings", query={"paused": "yes"}), 400,
                         "invalid_argument")

        # Reinstating needs a reason.
        for body in ({}, {"reason": "   "}):
            err = self.assertError(self.reinstate(body), 422, "unprocessable")
            self.assertEqual(err["details"][0]["field"], "reason", err)
        self.assertError(self.reinstate({"reason": 5}), 400, "invalid_argument")
        self.assertError(self.reinstate({"reason": "x", "extra": 1}), 400, "invalid_argument")
        self.assertTrue(self.my_standing(self.expert)["paused"], "nothing changed")

        back = self.assertStatus(self.reinstate({"reason": "retrained on the guidelines"}),
                                 200).json
        self.assertFalse(back["paused"], back)
        self.assertEqual((back["gold_total"], back["gold_correct"], back["skill"]), (0, 0, None))
        self.assertEqual(back["judgments"], MIN_JUDGMENTS, "the work done stays counted")
        self.assertEqual(back["expert"]["id"], self.expert_user["id"])
        self.assertNotIn(self.expert_user["id"], {s["expert"]["id"] for s in self.paused_list()})
        st = self.my_standing(self.expert)
        self.assertFalse(st["paused"])
        self.assertEqual(st["reason"], "")
        self.assertEqual(st["since"], back["since"])
        self.assertError(self.reinstate({"reason": "again"}), 409, "conflict", "not_paused")
        self.assertIn(self.pid, [p["id"] for p in self.assertStatus(
            self.expert.get("/api/v1/work/projects"), 200).json["projects"]])

        # A new window: one wrong answer does not pause again.
        self.work(self.expert, "incorrect")
        st = self.my_standing(self.expert)
        self.assertFalse(st["paused"], st)
        self.assertEqual((st["gold_total"], st["judgments"]), (1, MIN_JUDGMENTS + 1))

        # The lab's workforce: pseudonyms, qualifications and standing, never who they are.
        wf = self.assertStatus(self.owner.get(f"/api/v1/projects/{self.pid}/workforce"),
                               200).json
        self.assertEqual(wf["domain"], "physics")
        self.assertEqual(len(wf["experts"]), 2, wf)
        for e in wf["experts"]:
            self.assertRegex(e["pseudonym"], r"^ex_[a-z2-7]{10}$")
            self.assertEqual(set(e), {"pseudonym", "qualification", "credentials", "judgments",
                                      "gold_total", "gold_correct", "gold_accuracy", "skill",
                                      "paused", "reviews", "reviews_accepted"}, e)
            self.assertEqual(e["qualification"]["domain"], "physics")
            self.assertEqual(e["qualification"]["grounds"], "operator")
        text = str(wf)
        for secret in (self.expert_user["id"], self.expert_user["email"], self.expert_user["name"],
                       self.good_user["id"], self.good_user["email"], "retrained"):
            self.assertNotIn(secret, text)
        by_level = {e["qualification"]["level"]: e for e in wf["experts"]}
        self.assertEqual(by_level[3]["judgments"], MIN_JUDGMENTS + 1)
        self.assertEqual(by_level[4]["gold_accuracy"], 1.0)
        self.assertEqual(wf["mix"], [{"level": 4, "level_name": "PhD", "experts": 1},
                                     {"level": 3, "level_name": "master", "experts": 1}])
        # The same pseudonyms as the lab's export.
        exported = {r["expert"] for r in self.export(self.owner, self.pid, "raw")}
        self.assertEqual({e["pseudonym"] for e in wf["experts"]}, exported)

        # Another lab: 404, as for any of this lab's projects.
        self.assertError(self.other_owner.get(f"/api/v1/projects/{self.pid}/workforce"), 404,
                         "not_found")

    def test_an_expert_whose_skill_estimate_is_low_is_paused_after_a_report_pass(self):
        project = self.create_project(self.owner, name=unique("Acoustics"),
                                      preset="classification", domain="physics", min_level=3,
                                      redundancy=3)
        pid = project["id"]
        truth = {f"claim {n}": ("correct" if n % 2 else "incorrect") for n in range(10)}
        self.import_items(self.owner, pid, [{"data": {"text": t}} for t in truth])
        _, first = self.create_expert({"physics": 3})
        _, second = self.create_expert({"physics": 3})
        spammer_user, spammer = self.create_expert({"physics": 3})
        for expert, answer in ((first, truth.get), (second, truth.get),
                               (spammer, lambda text: "unsure")):
            for _ in truth:
                a = self.assertStatus(self.next_task(expert, pid), 200).json["assignment"]
                self.assertStatus(self.submit(expert, a["id"],
                                              {"label": answer(a["item"]["data"]["text"])}), 201)

        def standing(expert):
            rows = self.assertStatus(expert.get("/api/v1/me/standings"), 200).json["standings"]
            return next(s for s in rows if s["project_id"] == pid)

        # The threshold set once the work is done; the background pass may apply it first, the
        # refresh makes sure one ran.
        self.set_standing(project, min_skill=0.75, min_judgments=3)
        self.assertStatus(self.owner.post(f"/api/v1/projects/{pid}/quality/refresh", {}), 200)
        st = standing(spammer)
        self.assertTrue(st["paused"], st)
        self.assertLess(st["skill"], 0.75)
        self.assertRegex(st["reason"], r"^paused: the quality estimate of your skill on this "
                                        r"project is \d+% \(below the project's 75%\) after 10 "
                                        r"judgments$")
        for good in (first, second):
            self.assertFalse(standing(good)["paused"])
            self.assertGreater(standing(good)["skill"], 0.75)
        self.assertIn((spammer_user["id"], pid),
                      {(s["expert"]["id"], s["project_id"]) for s in self.paused_list()})
        wf = self.assertStatus(self.owner.get(f"/api/v1/projects/{pid}/workforce"), 200).json
        self.assertEqual(sorted(e["paused"] for e in wf["experts"]), [False, False, True])

    def test_the_routes_refuse_other_roles(self):
        self.assertError(self.owner.get("/api/v1/me/standings"), 403, "permission_denied")
        self.assertError(self.expert.get("/api/v1/standings"), 403, "permission_denied")
        self.assertError(self.owner.get("/api/v1/standings"), 403, "permission_denied")
        self.assertError(self.expert.get(f"/api/v1/projects/{self.pid}/workforce"), 403,
                         "permission_denied")
        self.assertError(self.op.post(
            f"/api/v1/experts/{self.expert_user['id']}/standings/prj_nothing/reinstate",
            {"reason": "x"}), 404, "not_found")


if __name__ == "__main__":
    import unittest
    unittest.main()

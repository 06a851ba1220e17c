"""The whole loop over HTTP: an operator sets up labs, owners and experts; a lab creates
projects from presets and imports items; experts take, heartbeat and submit tasks; the lab
watches counts and exports raw, SFT and preference datasets."""

import time
import unittest

from fachwerk_client import FachwerkTestCase, unique


def drain(testcase, expert, project_id, answer_for, limit=200):
    """Has `expert` take and submit tasks of `project_id` until next returns null.
    `answer_for(assignment)` makes the answer. Returns [(assignment, submission)]."""
    done = []
    for _ in range(limit):
        r = testcase.assertStatus(testcase.next_task(expert, project_id), 200)
        a = r.json["assignment"]
        if a is None:
            return done
        testcase.assertNotIn("gold", a["item"], "gold items look like any other item")
        s = testcase.assertStatus(testcase.submit(expert, a["id"], answer_for(a)), 201)
        done.append((a, s.json))
    testcase.fail(f"expert still gets work after {limit} tasks")


class WorkflowTest(FachwerkTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lab_a, cls.owner_a_user, cls.owner_a = cls.create_lab_with_owner("Aurora Labs")
        cls.lab_b, cls.owner_b_user, cls.owner_b = cls.create_lab_with_owner("Borealis AI")
        cls.phys1_user, cls.phys1 = cls.create_expert({"physics": 3}, name="Marie Curie")
        cls.phys2_user, cls.phys2 = cls.create_expert({"physics": (4, True), "mathematics": 2},
                                                      name="Lise Meitner")
        cls.student_user, cls.student = cls.create_expert({"physics": 1}, name="Sam Student")
        cls.lawyer_user, cls.lawyer = cls.create_expert({"law": 3}, name="Ruth Ginsburg")

    # -- set-up through the operator's API -----------------------------------------------------

    def test_operator_sees_labs_users_and_experts(self):
        labs = self.assertStatus(self.op.get("/api/v1/labs"), 200).json
        labs = labs.get("labs", labs) if isinstance(labs, dict) else labs
        ids = {lab["id"] for lab in labs}
        self.assertIn(self.lab_a["id"], ids)
        self.assertIn(self.lab_b["id"], ids)
        for lab in (self.lab_a, self.lab_b):
            self.assertTrue(lab["id"].startswith("lab_"), lab)
            one = self.assertStatus(self.op.get(f"/api/v1/labs/{lab['id']}"), 200).json
            self.assertEqual(one["slug"], lab["slug"])
        self.assertTrue(self.owner_a_user["id"].startswith("usr_"), self.owner_a_user)
        self.assertEqual(self.owner_a_user["lab_id"], self.lab_a["id"])
        self.assertEqual(self.owner_a_user["role"], "owner")
        self.assertNotIn("password", self.owner_a_user)

        experts = self.assertStatus(self.op.get("/api/v1/experts"), 200).json
        experts = experts.get("experts", experts) if isinstance(experts, dict) else experts
        by_id = {e["id"]: e for e in experts}
        self.assertIn(self.phys2_user["id"], by_id)
        quals = {q["domain"]: q for q in by_id[self.phys2_user["id"]]["qualifications"]}
        self.assertEqual(quals["physics"]["level"], 4)
        self.assertTrue(quals["physics"]["reviewer"])
        self.assertEqual(quals["mathematics"]["level"], 2)

        me = self.assertStatus(self.phys1.get("/api/v1/me"), 200).json
        self.assertEqual(me["role"], "expert")
        self.assertIsNone(me["lab"])
        self.assertEqual([(q["domain"], q["level"]) for q in me["qualifications"]],
                         [("physics", 3)])
        me = self.assertStatus(self.owner_a.get("/api/v1/me"), 200).json
        self.assertEqual(me["role"], "owner")
        self.assertEqual(me["lab"]["id"], self.lab_a["id"])

        domains = self.assertStatus(self.phys1.get("/api/v1/domains"), 200).text
        for d in ("physics", "law", "computer_science"):
            self.assertIn(d, domains)
        presets = self.assertStatus(self.owner_a.get("/api/v1/presets"), 200).json
        presets = presets["presets"]
        self.assertEqual({p["name"] for p in presets},
                         {"sft", "preference", "rubric", "adversarial", "classification"})

    # -- the loop ------------------------------------------------------------------------------

    def test_classification_loop_with_redundancy_gold_and_counts(self):
        p = self.create_project(self.owner_a, name="Derivation checks", preset="classification",
                                domain="physics", min_level=3, redundancy=2, gold_rate=0.25)
        pid = p["id"]
        self.assertTrue(pid.startswith("prj_"), p)
        self.assertEqual(p["preset"], "classification")
        self.assertEqual(p["redundancy"], 2)
        self.assertEqual(p["domain"], "physics")
        self.assertEqual(p["min_level"], 3)
        self.assertEqual(p["template_version"], 1)
        self.assertEqual(p["status"], "active")
        self.assertEqual([q["name"] for q in p["template"]["questions"]], ["label", "confidence"])

        summary = self.import_items(self.owner_a, pid, [
            {"text": "The period of a pendulum is $T = 2\\pi\\sqrt{L/g}$."},  # bare data
            {"data": {"text": "Energy is conserved in an elastic collision."}, "priority": 10,
             "external_id": "elastic"},
            {"data": {"text": "Entropy of an isolated system decreases."}, "priority": 5,
             "external_id": "entropy"},
            {"data": {"text": "Light in vacuum travels at $3\\times10^8$ m/s."},
             "external_id": "light"},
            {"data": {"text": "Heavier objects fall faster in vacuum."},
             "gold": {"label": "incorrect"}, "external_id": "gold-galileo"},
        ])
        self.assertTrue(summary["import_id"].startswith("imp_"), summary)
        # "items" counts the ordinary items, "gold_items" the gold ones (as in counts).
        self.assertEqual(summary["items"], 4)
        self.assertEqual(summary["gold_items"], 1)

        got = self.assertStatus(self.owner_a.get(f"/api/v1/projects/{pid}"), 200).json
        self.assertEqual({k: got["counts"].get(k) for k in
                          ("items", "gold_items", "complete_items", "submissions")},
                         {"items": 4, "gold_items": 1, "complete_items": 0, "submissions": 0})

        items = self.list_items(self.owner_a, pid)
        self.assertEqual(len(items), 5)
        by_ext = {i["external_id"]: i for i in items}
        self.assertEqual(by_ext["elastic"]["priority"], 10)
        self.assertEqual(by_ext["gold-galileo"]["gold"], {"label": "incorrect"})
        self.assertIsNone(by_ext["elastic"]["gold"])
        self.assertIn(None, by_ext)  # the bare line has no external id
        self.assertEqual(by_ext[None]["priority"], 0)
        gold_id = by_ext["gold-galileo"]["id"]
        for i in items:
            self.assertTrue(i["id"].startswith("itm_"), i)
            one = self.assertStatus(self.owner_a.get(f"/api/v1/projects/{pid}/items/{i['id']}"),
                                    200).json
            self.assertEqual(one["data"], i["data"])

        # Routing by qualification: the lawyer and the level-1 student get nothing of it; they
        # see it among the projects they could unlock, with what it asks.
        for outsider in (self.lawyer, self.student):
            listed = self.assertStatus(outsider.get("/api/v1/work/projects"), 200).json
            self.assertNotIn(pid, [p["id"] for p in listed["projects"]])
            locked = next(p for p in listed["locked"] if p["id"] == pid)
            self.assertEqual([u["reason"] for u in locked["unmet"]], ["not_qualified"])
            r = self.next_task(outsider, pid)
            if r.status == 200:
                self.assertIsNone(r.json["assignment"], r.describe())
            else:
                self.assertStatus(r, 403, 404)
            r = self.assertStatus(self.next_task(outsider), 200)
            self.assertTrue(r.json["assignment"] is None
                            or r.json["assignment"]["project_id"] != pid, r.describe())
        listed = self.assertStatus(self.phys1.get("/api/v1/work/projects"), 200).text
        self.assertIn(pid, listed)

        # One task by hand: take, heartbeat, submit.
        a = self.assertStatus(self.next_task(self.phys1, pid), 200).json["assignment"]
        self.assertIsNotNone(a)
        self.assertTrue(a["id"].startswith("asg_"), a)
        self.assertEqual(a["project_id"], pid)
        self.assertIn(a["item"]["id"], {i["id"] for i in items})
        self.assertIn("text", a["item"]["data"])
        self.assertNotIn("gold", a["item"])  # gold looks like any other item
        self.assertEqual(a["template_version"], 1)
        self.assertEqual(a["template"]["questions"][0]["name"], "label")
        for key in ("leased_at", "lease_expires_at", "active_seconds", "state"):
            self.assertIn(key, a)
        mine = self.assertStatus(self.phys1.get("/api/v1/assignments"), 200).text
        self.assertIn(a["id"], mine)

        time.sleep(1.2)
        hb = self.assertStatus(self.phys1.post(f"/api/v1/assignments/{a['id']}/heartbeat",
                                               {"active_seconds": 1}), 200).json
        self.assertGreaterEqual(hb["lease_expires_at"], a["lease_expires_at"])
        self.assertIsInstance(hb["active_seconds"], int)
        self.assertTrue(0 <= hb["active_seconds"] <= 2, hb)
        hb2 = self.assertStatus(self.phys1.post(f"/api/v1/assignments/{a['id']}/heartbeat",
                                                {"active_seconds": 3600}), 200).json
        self.assertLessEqual(hb2["active_seconds"], hb["active_seconds"] + 2,
                             "reported active time must be capped by wall-clock time")

        s = self.assertStatus(self.submit(self.phys1, a["id"], {"label": "correct",
                                                                 "confidence": 4}), 201).json
        self.assertTrue(s["id"].startswith("sub_"), s)
        self.assertEqual(s["assignment_id"], a["id"])
        self.assertEqual(s["item_id"], a["item"]["id"])
        self.assertEqual(s["project_id"], pid)
        self.assertEqual(s["answer"], {"label": "correct", "confidence": 4})
        self.assertEqual(s["template_version"], 1)
        self.assertIn("submitted_at", s)
        self.assertGreaterEqual(s["active_seconds"], hb["active_seconds"])
        got = self.assertStatus(self.owner_a.get(f"/api/v1/projects/{pid}"), 200).json
        self.assertEqual(got["counts"]["submissions"], 1)

        # Two physicists drain the project; each item needs two of them.
        done = [(a, s)]
        done += drain(self, self.phys1, pid, lambda a: {"label": "correct"})
        done += drain(self, self.phys2, pid, lambda a: {"label": "incorrect", "confidence": 2})
        seen = {}
        for asg, sub in done:
            seen.setdefault(asg["item"]["id"], []).append(sub["id"])
        for item in items:
            if item["id"] != gold_id:
                self.assertEqual(len(seen.get(item["id"], [])), 2,
                                 f"item {item['external_id']} should have been worked twice")
        self.assertIsNone(self.next_task(self.phys1, pid).json["assignment"])

        rows = self.export(self.owner_a, pid, "raw")
        self.assertEqual(sorted(r["submission_id"] for r in rows),
                         sorted(sub["id"] for _, sub in done))
        per_item = {}
        for row in rows:
            for key in ("submission_id", "item_id", "external_id", "data", "answer",
                        "template_version", "expert", "active_seconds", "leased_at",
                        "submitted_at", "is_gold"):
                self.assertIn(key, row)
            self.assertEqual(row["is_gold"], row["item_id"] == gold_id, row)
            self.assertTrue(row["expert"].startswith("ex_"), row)
            per_item.setdefault(row["item_id"], set()).add(row["expert"])
        for name in ("Marie Curie", "Lise Meitner", self.phys1_user["email"],
                     self.phys2_user["email"], self.phys1_user["id"], self.phys2_user["id"]):
            self.assertNotIn(name, "\n".join(map(str, rows)), "labs see experts by pseudonym")
        for item_id, experts in per_item.items():
            if item_id != gold_id:
                self.assertEqual(len(experts), 2, "two distinct experts per item")

        got = self.assertStatus(self.owner_a.get(f"/api/v1/projects/{pid}"), 200).json
        self.assertEqual(got["counts"]["items"], 4)
        self.assertEqual(got["counts"]["gold_items"], 1)
        self.assertEqual(got["counts"]["submissions"], len(rows))
        self.assertEqual(got["counts"]["complete_items"], 4, "every ordinary item has k answers")
        one = self.assertStatus(
            self.owner_a.get(f"/api/v1/projects/{pid}/items/{by_ext['elastic']['id']}"), 200).json
        self.assertEqual(one["submitted"], 2)

        # A classification template maps to neither chat format.
        for fmt in ("sft", "preference"):
            self.assertError(self.owner_a.get(f"/api/v1/projects/{pid}/export",
                                              query={"format": fmt}), 400)
        self.assertStatus(self.owner_b.get(f"/api/v1/projects/{pid}"), 404)

    def test_higher_priority_first_then_import_order(self):
        p = self.create_project(self.owner_a, preset="classification", domain="physics",
                                redundancy=1)
        prios = [0, 5, 10, 5, -1, 10]
        self.import_items(self.owner_a, p["id"], [
            {"data": {"text": f"claim {n}", "n": n}, "priority": prio}
            for n, prio in enumerate(prios)])
        order = [a["item"]["data"]["n"]
                 for a, _ in drain(self, self.phys1, p["id"], lambda a: {"label": "unsure"})]
        self.assertEqual(order, [2, 5, 1, 3, 0, 4])

    def test_paused_project_gives_no_work(self):
        p = self.create_project(self.owner_a, preset="classification", domain="physics")
        self.import_items(self.owner_a, p["id"], [{"text": "a claim"}])
        r = self.assertStatus(self.owner_a.patch(f"/api/v1/projects/{p['id']}",
                                                 {"status": "paused"}), 200)
        self.assertEqual(r.json["status"], "paused")
        r = self.next_task(self.phys2, p["id"])
        if r.status == 200:
            self.assertIsNone(r.json["assignment"], "a paused project gives no work")
        else:
            self.assertStatus(r, 404, 409)
        self.assertStatus(self.owner_a.patch(f"/api/v1/projects/{p['id']}",
                                             {"status": "active"}), 200)
        self.assertIsNotNone(self.next_task(self.phys2, p["id"]).json["assignment"])

    def test_items_page_with_after(self):
        p = self.create_project(self.owner_a, preset="classification", domain=None)
        self.import_items(self.owner_a, p["id"], [{"text": f"t{n}"} for n in range(5)])
        seen, after, pages = [], None, 0
        while True:
            q = {"limit": 2, **({"after": after} if after else {})}
            page = self.assertStatus(self.owner_a.get(f"/api/v1/projects/{p['id']}/items",
                                                      query=q), 200).json
            pages += 1
            self.assertLessEqual(len(page["items"]), 2)
            seen += [i["data"]["text"] for i in page["items"]]
            after = page["next_after"]
            if not after:
                break
            self.assertLess(pages, 10)
        self.assertEqual(seen, [f"t{n}" for n in range(5)])
        self.assertEqual(pages, 3)

    def test_template_versions_are_recorded(self):
        p = self.create_project(self.owner_a, preset="classification", domain="physics")
        self.import_items(self.owner_a, p["id"], [{"text": f"t{n}"} for n in range(2)])
        drain_one = self.assertStatus(self.next_task(self.phys1, p["id"]), 200).json["assignment"]
        s1 = self.assertStatus(self.submit(self.phys1, drain_one["id"], {"label": "correct"}),
                               201).json
        self.assertEqual(s1["template_version"], 1)
        tmpl = p["template"]
        tmpl["questions"].append({"name": "note", "type": "text", "required": False})
        r = self.assertStatus(self.owner_a.patch(f"/api/v1/projects/{p['id']}",
                                                 {"template": tmpl}), 200).json
        self.assertEqual(r["template_version"], 2)
        a = self.assertStatus(self.next_task(self.phys1, p["id"]), 200).json["assignment"]
        self.assertEqual(a["template_version"], 2)
        self.assertIn("note", [q["name"] for q in a["template"]["questions"]])
        s2 = self.assertStatus(self.submit(self.phys1, a["id"], {"label": "unsure",
                                                                  "note": "see $\\hbar$"}),
                               201).json
        self.assertEqual(s2["template_version"], 2)
        rows = {r["submission_id"]: r for r in self.export(self.owner_a, p["id"])}
        self.assertEqual(rows[s1["id"]]["template_version"], 1)
        self.assertEqual(rows[s2["id"]]["template_version"], 2)
        bad = self.owner_a.patch(f"/api/v1/projects/{p['id']}", {"template": {"questions": []}})
        self.assertError(bad, 400, "invalid_argument")
        self.assertEqual(self.assertStatus(self.owner_a.get(f"/api/v1/projects/{p['id']}"),
                                           200).json["template_version"], 2)

    def test_a_member_works_like_an_owner_in_its_lab(self):
        member = self.create_user("member", self.lab_a["id"])
        mc = self.login(member["email"])
        p = self.create_project(mc, preset="sft", domain=None)
        self.import_items(mc, p["id"], [{"prompt": "hello"}])
        self.assertIn(p["id"], self.assertStatus(self.owner_a.get("/api/v1/projects"), 200).text)
        self.assertStatus(mc.get(f"/api/v1/projects/{p['id']}/export",
                                 query={"format": "sft"}), 200)

    # -- exports ---------------------------------------------------------------------------

    def test_sft_export(self):
        p = self.create_project(self.owner_a, preset="sft", domain="physics", redundancy=1)
        self.import_items(self.owner_a, p["id"], [
            {"data": {"prompt": "Derive the Euler-Lagrange equation.",
                      "system": "You are a careful physicist."}},
            {"prompt": "What is $\\nabla \\cdot \\mathbf{B}$?"},
        ])
        answers = {"Derive the Euler-Lagrange equation.": "From $\\delta S = 0$ ...",
                   "What is $\\nabla \\cdot \\mathbf{B}$?": "Zero: there are no monopoles."}
        done = drain(self, self.phys1, p["id"],
                     lambda a: {"response": answers[a["item"]["data"]["prompt"]]})
        self.assertEqual(len(done), 2)

        rows = self.export(self.owner_a, p["id"], "sft")
        self.assertEqual(len(rows), 2)
        by_prompt = {}
        for row in rows:
            msgs = row["messages"]
            user = [m for m in msgs if m["role"] == "user"]
            self.assertEqual(len(user), 1, row)
            by_prompt[user[0]["content"]] = msgs
        self.assertEqual(by_prompt["Derive the Euler-Lagrange equation."], [
            {"role": "system", "content": "You are a careful physicist."},
            {"role": "user", "content": "Derive the Euler-Lagrange equation."},
            {"role": "assistant", "content": "From $\\delta S = 0$ ..."}])
        self.assertEqual(by_prompt["What is $\\nabla \\cdot \\mathbf{B}$?"], [
            {"role": "user", "content": "What is $\\nabla \\cdot \\mathbf{B}$?"},
            {"role": "assistant", "content": "Zero: there are no monopoles."}])
        self.assertEqual(len(self.export(self.owner_a, p["id"], "raw")), 2)
        self.assertError(self.owner_a.get(f"/api/v1/projects/{p['id']}/export",
                                          query={"format": "preference"}), 400)
        got = self.assertStatus(self.owner_a.get(f"/api/v1/projects/{p['id']}"), 200).json
        self.assertEqual(got["counts"]["complete_items"], 2)
        self.assertEqual(got["counts"]["submissions"], 2)

    def test_adversarial_sft_export_takes_prompt_from_answer(self):
        p = self.create_project(self.owner_a, preset="adversarial", domain="physics")
        self.import_items(self.owner_a, p["id"], [{"topic": "Stump the model on optics."}])
        drain(self, self.phys2, p["id"], lambda a: {
            "question": "Why is the sky blue but sunsets red?",
            "reference_answer": "Rayleigh scattering goes as $\\lambda^{-4}$.",
            "solution": "Shorter path for blue at noon ..."})
        rows = self.export(self.owner_a, p["id"], "sft")
        self.assertEqual(rows, [{"messages": [
            {"role": "user", "content": "Why is the sky blue but sunsets red?"},
            {"role": "assistant", "content": "Rayleigh scattering goes as $\\lambda^{-4}$."}]}])

    def test_preference_export_leaves_out_ties(self):
        p = self.create_project(self.owner_b, preset="preference", domain="physics")
        self.import_items(self.owner_b, p["id"], [
            {"prompt": f"prompt {n}", "response_a": f"A{n}", "response_b": f"B{n}"}
            for n in range(3)])
        verdicts = {"prompt 0": {"choice": "A", "strength": 2},
                    "prompt 1": {"choice": "B", "strength": 3},
                    "prompt 2": {"choice": "tie"}}
        done = drain(self, self.phys1, p["id"],
                     lambda a: {"preference": verdicts[a["item"]["data"]["prompt"]],
                                "rationale": "checked the units"})
        self.assertEqual(len(done), 3)
        rows = sorted(self.export(self.owner_b, p["id"], "preference"),
                      key=lambda r: r["prompt"])
        self.assertEqual([(r["prompt"], r["chosen"], r["rejected"]) for r in rows],
                         [("prompt 0", "A0", "B0"), ("prompt 1", "B1", "A1")])
        self.assertEqual(len(self.export(self.owner_b, p["id"], "raw")), 3)
        self.assertError(self.owner_b.get(f"/api/v1/projects/{p['id']}/export",
                                          query={"format": "sft"}), 400)

    def test_pseudonyms_are_per_lab_and_stable_within_a_lab(self):
        def pseudonym(owner, expert):
            p = self.create_project(owner, preset="classification", domain="mathematics")
            self.import_items(owner, p["id"], [{"text": unique("claim")}])
            self.assertEqual(len(drain(self, expert, p["id"], lambda a: {"label": "correct"})),
                             1)
            rows = self.export(owner, p["id"], "raw")
            self.assertEqual(len(rows), 1)
            return rows[0]["expert"]

        a1 = pseudonym(self.owner_a, self.phys2)
        a2 = pseudonym(self.owner_a, self.phys2)
        b1 = pseudonym(self.owner_b, self.phys2)
        self.assertEqual(a1, a2, "one lab sees one expert under one pseudonym")
        self.assertNotEqual(a1, b1, "two labs must not be able to correlate an expert")
        self.assertNotEqual(a1, self.phys2_user["id"])

    # -- tokens --------------------------------------------------------------------------------

    def test_api_tokens_work_until_revoked(self):
        r = self.assertStatus(self.owner_a.post("/api/v1/tokens", {"name": "ci export"}), 201)
        tok = r.json
        self.assertTrue(tok["id"].startswith("tok_"), tok)
        api = self.client(tok["token"])
        self.assertEqual(self.assertStatus(api.get("/api/v1/me"), 200).json["id"],
                         self.owner_a_user["id"])
        listed = self.assertStatus(self.owner_a.get("/api/v1/tokens"), 200)
        self.assertIn(tok["id"], listed.text)
        self.assertNotIn(tok["token"], listed.text, "the secret is shown only once")
        self.assertStatus(self.owner_a.delete(f"/api/v1/tokens/{tok['id']}"), 204)
        self.assertError(api.get("/api/v1/me"), 401, "unauthenticated")

    def test_expired_api_token_is_refused(self):
        tok = self.assertStatus(self.owner_b.post("/api/v1/tokens", {
            "name": "short", "expires_in_seconds": 1}), 201).json
        self.assertIsNotNone(tok["expires_at"])
        time.sleep(2.2)
        self.assertError(self.client(tok["token"]).get("/api/v1/me"), 401, "unauthenticated")

    def test_password_change(self):
        user = self.create_user("expert")
        c = self.login(user["email"])
        other = self.login(user["email"])
        r = c.post("/api/v1/me/password", {"current_password": "wrong-password-1",
                                           "new_password": "a-new-password-42"})
        self.assertStatus(r, 400, 401, 403)
        self.assertStatus(c.post("/api/v1/me/password", {
            "current_password": "correct-horse-battery-staple",
            "new_password": "a-new-password-42"}), 204)
        self.assertStatus(c.get("/api/v1/me"), 200)  # the session that changed it stays
        self.assertError(other.get("/api/v1/me"), 401)  # every other session ends
        self.assertError(self.client().post("/api/v1/auth/login", {
            "email": user["email"], "password": "correct-horse-battery-staple"}), 401)
        self.assertStatus(self.client().post("/api/v1/auth/login", {
            "email": user["email"], "password": "a-new-password-42"}), 200)

    def test_logout_revokes_the_session(self):
        c = self.login(self.student_user["email"])
        self.assertStatus(c.get("/api/v1/me"), 200)
        self.assertStatus(c.post("/api/v1/auth/logout"), 204)
        self.assertError(c.get("/api/v1/me"), 401, "unauthenticated")
        self.assertStatus(self.student.get("/api/v1/me"), 200)  # other sessions stay valid


if __name__ == "__main__":
    unittest.main()

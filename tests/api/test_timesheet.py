"""Active time: heartbeats from two tabs of one expert are credited once; the expert's timesheet
shows the credited time per day, project and assignment; the expert disputes an assignment's
time (field errors for a claim not above the credited time or longer than the assignment
lasted, 409 while it runs and while a dispute is open); an operator resolves it once; another
expert sees none of it, and labs cannot reach these routes."""

import time

from fachwerk_client import FachwerkTestCase, unique


class TimesheetTest(FachwerkTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lab, _, cls.owner = cls.create_lab_with_owner(unique("Aurora"))
        cls.project = cls.create_project(cls.owner, name=unique("Optics"),
                                         preset="classification", domain="physics",
                                         min_level=1, redundancy=1)
        cls.pid = cls.project["id"]
        cls.import_items(cls.owner, cls.pid,
                         [{"data": {"text": f"claim {n}"}} for n in range(6)])
        cls.expert_user, cls.expert = cls.create_expert({"physics": 3})
        cls.other_user, cls.other = cls.create_expert({"physics": 3})

    def lease(self, expert):
        a = self.assertStatus(self.next_task(expert, self.pid), 200).json["assignment"]
        self.assertIsNotNone(a)
        return a

    def heartbeat(self, expert, assignment, seconds):
        return self.assertStatus(
            expert.post(f"/api/v1/assignments/{assignment['id']}/heartbeat",
                        {"active_seconds": seconds}), 200).json

    def timesheet(self, expert):
        return self.assertStatus(expert.get("/api/v1/me/timesheet"), 200).json

    def test_two_tabs_are_counted_once_and_a_dispute_is_resolved_once(self):
        started = time.monotonic()
        first = self.lease(self.expert)
        second = self.lease(self.expert)
        time.sleep(2.2)
        a = self.heartbeat(self.expert, first, 2)
        b = self.heartbeat(self.expert, second, 2)
        self.assertEqual(a["active_seconds"], 2, a)
        self.assertEqual(b["active_seconds"], 0, "the second tab's seconds were counted already")
        self.assertStatus(self.submit(self.expert, first["id"], {"label": "correct"}), 201)
        self.assertStatus(self.expert.post(f"/api/v1/assignments/{second['id']}/skip",
                                           {"reason": "outside my field"}), 204, 200)
        elapsed = time.monotonic() - started

        sheet = self.timesheet(self.expert)
        self.assertLessEqual(sheet["total_seconds"], elapsed + 1, sheet)
        self.assertGreaterEqual(sheet["total_seconds"], 2, sheet)
        day = sheet["days"][0]
        self.assertRegex(day["day"], r"^\d{4}-\d{2}-\d{2}$")
        self.assertEqual(day["projects"][0]["project"]["id"], self.pid)
        entries = {e["assignment_id"]: e for e in day["projects"][0]["entries"]}
        self.assertEqual(entries[first["id"]]["state"], "submitted")
        self.assertIsNone(entries[first["id"]]["dispute_status"])
        self.assertEqual(self.timesheet(self.other)["days"], [], "another expert's time is theirs")

        # Field errors, then a dispute of the skipped assignment's time.
        running = self.lease(self.expert)
        self.assertError(self.expert.post("/api/v1/me/disputes", {
            "assignment_id": running["id"], "seconds": 5, "comment": "x"}), 409, "conflict",
            "assignment_active")
        err = self.assertError(self.expert.post("/api/v1/me/disputes", {
            "assignment_id": second["id"], "seconds": 0, "comment": "x"}), 400)
        self.assertEqual(err["details"][0]["field"], "seconds")
        err = self.assertError(self.expert.post("/api/v1/me/disputes", {
            "assignment_id": second["id"], "seconds": 86400, "comment": "x"}), 400)
        self.assertEqual(err["details"][0]["code"], "over_wall_time")
        err = self.assertError(self.expert.post("/api/v1/me/disputes", {
            "assignment_id": second["id"], "seconds": 1}), 400)
        self.assertEqual(err["details"][0]["field"], "comment")
        self.assertError(self.other.post("/api/v1/me/disputes", {
            "assignment_id": second["id"], "seconds": 1, "comment": "mine"}), 404)
        self.assertError(self.owner.post("/api/v1/me/disputes", {
            "assignment_id": second["id"], "seconds": 1, "comment": "mine"}), 403)

        d = self.assertStatus(self.expert.post("/api/v1/me/disputes", {
            "assignment_id": second["id"], "seconds": 1,
            "comment": "I read the item before skipping it"}), 201).json
        self.assertEqual((d["status"], d["credited_seconds"], d["claimed_seconds"]),
                         ("open", 0, 1), d)
        self.assertError(self.expert.post("/api/v1/me/disputes", {
            "assignment_id": second["id"], "seconds": 1, "comment": "again"}), 409, "conflict",
            "dispute_open")
        mine = self.assertStatus(self.expert.get("/api/v1/me/disputes"), 200).json["disputes"]
        self.assertEqual([x["id"] for x in mine], [d["id"]])
        self.assertEqual(self.assertStatus(self.other.get("/api/v1/me/disputes"), 200).json,
                         {"disputes": []})

        # The operator's list and resolution.
        self.assertError(self.owner.get("/api/v1/disputes"), 403)
        open_ = self.assertStatus(self.op.get("/api/v1/disputes", query={"status": "open"}),
                                  200).json["disputes"]
        listed = [x for x in open_ if x["id"] == d["id"]]
        self.assertEqual(len(listed), 1)
        self.assertEqual(listed[0]["expert"]["id"], self.expert_user["id"])
        self.assertError(self.op.get("/api/v1/disputes", query={"status": "maybe"}), 400)
        self.assertError(self.op.post(f"/api/v1/disputes/{d['id']}/resolve",
                                      {"decision": "reject"}), 400)
        self.assertError(self.op.post(f"/api/v1/disputes/{d['id']}/resolve",
                                      {"decision": "pay"}), 400)
        done = self.assertStatus(self.op.post(f"/api/v1/disputes/{d['id']}/resolve", {
            "decision": "accept", "comment": "reading counts"}), 200).json
        self.assertEqual((done["status"], done["allowed_seconds"]), ("accepted", 1), done)
        self.assertError(self.op.post(f"/api/v1/disputes/{d['id']}/resolve", {
            "decision": "accept"}), 409, "conflict", "already_resolved")
        mine = self.assertStatus(self.expert.get("/api/v1/me/disputes"), 200).json["disputes"]
        self.assertEqual([(x["id"], x["status"], x["resolution"]) for x in mine],
                         [(d["id"], "accepted", "reading counts")])

    def test_a_period_is_dates_in_order_and_not_too_long(self):
        self.assertError(self.expert.get("/api/v1/me/timesheet", query={"from": "yesterday"}),
                         400)
        self.assertError(self.expert.get("/api/v1/me/timesheet",
                                          query={"from": "2026-12-06", "to": "2026-12-01"}), 400)
        self.assertError(self.expert.get("/api/v1/me/timesheet",
                                          query={"from": "2026-01-01", "to": "2026-12-01"}), 400)
        sheet = self.assertStatus(self.expert.get(
            "/api/v1/me/timesheet", query={"from": "2026-12-01", "to": "2026-12-03"}), 200).json
        self.assertEqual((sheet["from"], sheet["to"]), ("2026-12-01", "2026-12-03"))
        self.assertError(self.owner.get("/api/v1/me/timesheet"), 403)

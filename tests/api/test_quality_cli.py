"""The quality engine on the command line: `fachwerk aggregate`, `agreement` and `replay` on
small files generated here (docs/quality.md, "Command line"). No server; each test class has
its own temporary directory."""

import csv
import io
import json
import os
import random
import shutil
import tempfile
import unittest

from fachwerk_client import run_cli

LABELS = ["cat", "dog", "bird"]

# Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011), section C: four observers,
# twelve units, missing values as None. Published: nominal 0.743, ordinal 0.815,
# interval 0.849, ratio 0.797.
KRIPPENDORFF = {
    "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    "C": [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
}


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def csv_text(header, rows):
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return out.getvalue()


class QualityCliTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="fw-quality-cli-")
        # Ten tasks, five workers; on task t worker t % 5 gives the next label, the other four
        # the right one. Task ids with a comma and a quote check CSV quoting.
        cls.tasks = [f"t{i}" for i in range(9)] + ['t,9 "odd"']
        cls.right = {t: LABELS[i % 3] for i, t in enumerate(cls.tasks)}
        rows = []
        for i, t in enumerate(cls.tasks):
            for w in range(5):
                label = cls.right[t] if w != i % 5 else LABELS[(i + 1) % 3]
                rows.append([f"w{w}", t, label])
        cls.answers = write(os.path.join(cls.dir, "answers.csv"),
                            csv_text(["worker", "task", "label"], rows))
        # Truth for five tasks, one deliberately "wrong" (so accuracy is 4/5), and one row for
        # a task nobody answered (counted as a row, not scored).
        truth_rows = [[t, cls.right[t]] for t in cls.tasks[:4]]
        truth_rows.append([cls.tasks[4], LABELS[(4 + 2) % 3]])
        truth_rows.append(["unanswered", "cat"])
        cls.truth = write(os.path.join(cls.dir, "truth.csv"),
                          csv_text(["task", "label"], truth_rows))
        cls.crowd = cls.make_crowd()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def path(self, name):
        return os.path.join(self.dir, name)

    def assertOneLineError(self, proc, code, *needles):
        self.assertEqual(proc.returncode, code, proc.stderr)
        lines = proc.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, proc.stderr)
        self.assertTrue(lines[0].startswith("fachwerk: "), lines[0])
        for n in needles:
            self.assertIn(n, lines[0])
        self.assertEqual(proc.stdout, "")

    # -- aggregate -------------------------------------------------------------------------

    def test_aggregate_gives_the_majority_label_with_every_method(self):
        for method in ["mv", "wawa", "ds", "ods", "glad"]:
            with self.subTest(method=method):
                out = run_cli("aggregate", "--method", method, "--in", self.answers).stdout
                rows = list(csv.reader(io.StringIO(out)))
                self.assertEqual(rows[0], ["task", "label", "confidence"])
                got = {r[0]: r[1] for r in rows[1:]}
                self.assertEqual(got, self.right)
                for r in rows[1:]:
                    self.assertTrue(0.0 <= float(r[2]) <= 1.0, r)

    def test_aggregate_writes_to_out(self):
        out = self.path("result.csv")
        proc = run_cli("aggregate", "--method", "mv", "--in", self.answers, "--out", out)
        self.assertEqual(proc.stdout, "")
        with open(out, encoding="utf-8") as f:
            rows = list(csv.reader(f))
        self.assertEqual(len(rows), 1 + len(self.tasks))
        # Majority vote: four of five agree everywhere.
        self.assertEqual({float(r[2]) for r in rows[1:]}, {0.8})

    def test_truth_reports_accuracy_on_stderr(self):
        proc = run_cli("aggregate", "--method", "ds", "--in", self.answers, "--truth", self.truth)
        self.assertIn("accuracy 0.8000 over 5 tasks with truth (6 truth rows)", proc.stderr)
        self.assertTrue(proc.stdout.startswith("task,label,confidence\n"))

    def test_json_format(self):
        proc = run_cli("aggregate", "--method", "ds", "--in", self.answers, "--truth", self.truth,
                       "--format", "json")
        doc = json.loads(proc.stdout)
        self.assertEqual(proc.stderr, "")
        self.assertEqual(doc["method"], "ds")
        self.assertEqual((doc["tasks"], doc["workers"], doc["answers"]), (10, 5, 50))
        self.assertEqual(doc["labels"], sorted(LABELS))
        self.assertIsInstance(doc["iterations"], int)
        self.assertIsInstance(doc["converged"], bool)
        self.assertAlmostEqual(doc["accuracy"], 0.8)
        self.assertEqual((doc["truth_tasks"], doc["truth_rows"]), (5, 6))
        self.assertEqual({r["task"]: r["label"] for r in doc["results"]}, self.right)
        self.assertEqual([w["worker"] for w in doc["worker_skills"]],
                         ["w0", "w1", "w2", "w3", "w4"])
        for w in doc["worker_skills"]:
            self.assertGreater(w["skill"], 0.5)
        plain = json.loads(run_cli("aggregate", "--method", "mv", "--in", self.answers,
                                   "--format", "json").stdout)
        self.assertNotIn("accuracy", plain)
        self.assertNotIn("truth_tasks", plain)

    def test_jsonl_input(self):
        lines = []
        with open(self.answers, encoding="utf-8") as f:
            for r in csv.DictReader(f):
                lines.append(json.dumps(r))
        path = write(self.path("answers.jsonl"), "\n".join(lines) + "\n")
        out = run_cli("aggregate", "--method", "wawa", "--in", path).stdout
        got = {r[0]: r[1] for r in list(csv.reader(io.StringIO(out)))[1:]}
        self.assertEqual(got, self.right)

    def test_bradley_terry(self):
        # Responses a > b > c: every worker prefers the earlier letter, except one upset.
        rows, n = [], 0
        for left, right in [("a", "b"), ("b", "c"), ("a", "c")]:
            for k in range(6):
                n += 1
                label = "left" if not (left == "b" and k == 0) else "right"
                rows.append([f"w{k}", f"q{n}", left, right, label])
        path = write(self.path("pairs.csv"),
                     csv_text(["worker", "task", "left", "right", "label"], rows))
        task_out = self.path("preferences.csv")
        out = run_cli("aggregate", "--method", "bt", "--in", path, "--task-out", task_out).stdout
        table = list(csv.reader(io.StringIO(out)))
        self.assertEqual(table[0], ["response", "score", "ci_low", "ci_high"])
        score = {r[0]: float(r[1]) for r in table[1:]}
        self.assertGreater(score["a"], score["b"])
        self.assertGreater(score["b"], score["c"])
        for r in table[1:]:
            self.assertLessEqual(float(r[2]), float(r[1]))
            self.assertGreaterEqual(float(r[3]), float(r[1]))
        with open(task_out, encoding="utf-8") as f:
            prefs = list(csv.reader(f))
        self.assertEqual(prefs[0], ["task", "preferred", "confidence"])
        self.assertEqual(len(prefs), 1 + n)
        os.remove(task_out)
        doc = json.loads(run_cli("aggregate", "--method", "bt", "--in", path,
                                 "--format", "json", "--task-out", task_out).stdout)
        # --task-out is the per-task CSV whatever the format.
        with open(task_out, encoding="utf-8") as f:
            self.assertEqual(list(csv.reader(f)), prefs)
        self.assertEqual(doc["method"], "bt")
        self.assertEqual(doc["comparisons"], n)
        self.assertEqual(sorted(r["response"] for r in doc["responses"]), ["a", "b", "c"])
        self.assertEqual(len(doc["results"]), n)
        self.assertEqual(doc["results"][0]["preferred"], "a")

    # -- agreement -------------------------------------------------------------------------

    def krippendorff_file(self):
        rows = [[coder, f"u{u + 1}", v] for coder, values in KRIPPENDORFF.items()
                for u, v in enumerate(values) if v is not None]
        return write(self.path("krippendorff.csv"), csv_text(["worker", "task", "label"], rows))

    def test_agreement_matches_krippendorffs_published_example(self):
        path = self.krippendorff_file()
        for metric, published in [("alpha-nominal", 0.743), ("alpha-ordinal", 0.815),
                                  ("alpha-interval", 0.849), ("alpha-ratio", 0.797)]:
            with self.subTest(metric=metric):
                doc = json.loads(run_cli("agreement", "--metric", metric, "--in", path,
                                         "--format", "json").stdout)
                self.assertEqual(doc["metric"], metric)
                self.assertAlmostEqual(doc["value"], published, places=3)
                self.assertEqual((doc["tasks"], doc["workers"], doc["answers"]), (12, 4, 41))
        text = run_cli("agreement", "--metric", "alpha-nominal", "--in", path).stdout
        self.assertRegex(text, r"^alpha-nominal 0\.743\d*\n$")

    def test_agreement_kappas(self):
        fleiss = json.loads(run_cli("agreement", "--metric", "fleiss", "--in", self.answers,
                                    "--format", "json").stdout)
        self.assertEqual((fleiss["raters"], fleiss["tasks_used"], fleiss["tasks_skipped"]),
                         (5, 10, 0))
        self.assertTrue(0 < fleiss["value"] < 1, fleiss)
        cohen = json.loads(run_cli("agreement", "--metric", "cohen", "--in", self.answers,
                                   "--format", "json").stdout)
        self.assertEqual(cohen["pairs"], 10)
        self.assertTrue(-1 <= cohen["value"] <= 1, cohen)

    def test_agreement_without_variation_is_a_data_error(self):
        path = write(self.path("same.csv"), "worker,task,label\na,t1,x\nb,t1,x\na,t2,x\nb,t2,x\n")
        proc = run_cli("agreement", "--metric", "alpha-nominal", "--in", path, check=False)
        self.assertOneLineError(proc, 1, "same.csv")

    # -- errors ----------------------------------------------------------------------------

    def test_unparsable_line_names_the_line(self):
        path = write(self.path("bad-line.csv"), "worker,task,label\nw1,t1,a\nw2,t2\nw3,t3,b\n")
        for cmd in (["aggregate", "--method", "ds"], ["agreement", "--metric", "fleiss"]):
            with self.subTest(cmd=cmd[0]):
                proc = run_cli(*cmd, "--in", path, check=False)
                self.assertOneLineError(proc, 1, "bad-line.csv", "line 3")

    def test_missing_column(self):
        path = write(self.path("no-task.csv"), "worker,item,label\nw1,t1,a\n")
        proc = run_cli("aggregate", "--in", path, check=False)
        self.assertOneLineError(proc, 1, "no-task.csv", "task")

    def test_empty_file(self):
        path = write(self.path("empty.csv"), "")
        proc = run_cli("aggregate", "--in", path, check=False)
        self.assertOneLineError(proc, 1, "empty.csv")

    def test_missing_file(self):
        proc = run_cli("aggregate", "--in", self.path("nope.csv"), check=False)
        self.assertOneLineError(proc, 1, "nope.csv")

    def test_bad_truth_line(self):
        truth = write(self.path("bad-truth.csv"), "task,label\nt1,cat\nt2\n")
        proc = run_cli("aggregate", "--in", self.answers, "--truth", truth, check=False)
        self.assertOneLineError(proc, 1, "bad-truth.csv", "line 3")

    def test_usage_errors_exit_2(self):
        cases = [
            (["aggregate", "--method", "magic", "--in", self.answers], "magic"),
            (["aggregate", "--format", "xml", "--in", self.answers], "xml"),
            (["aggregate", "--max-iterations", "0", "--in", self.answers], "--max-iterations"),
            (["aggregate", "--tolerance", "0", "--in", self.answers], "--tolerance"),
            (["aggregate", "--prior", "-1", "--in", self.answers], "--prior"),
            (["aggregate", "--method", "glad", "--glad-start", "mv", "--in", self.answers],
             "--glad-start"),
            (["aggregate", "--method", "bt", "--truth", self.truth, "--in", self.answers],
             "--truth"),
            (["agreement", "--metric", "beta", "--in", self.answers], "beta"),
            (["replay", "--policy", "greedy", "--in", self.answers, "--truth", self.truth],
             "greedy"),
            (["replay", "--threshold", "1.5", "--in", self.answers, "--truth", self.truth],
             "threshold"),
            (["replay", "--min", "3", "--max", "2", "--in", self.answers, "--truth", self.truth],
             "max"),
            (["replay", "--change", "1", "--in", self.answers, "--truth", self.truth], "change"),
            (["replay", "--gate", "-0.5", "--in", self.answers, "--truth", self.truth], "--gate"),
            (["replay", "--gate-min", "0", "--in", self.answers, "--truth", self.truth],
             "--gate-min"),
        ]
        for args, needle in cases:
            with self.subTest(args=args):
                self.assertOneLineError(run_cli(*args, check=False), 2, needle)

    def test_missing_required_flag_fails(self):
        proc = run_cli("aggregate", "--method", "ds", check=False)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("--in", proc.stderr)

    # -- replay ----------------------------------------------------------------------------

    @classmethod
    def make_crowd(cls):
        """400 tasks, 10 answers each from 30 workers who are right 90 % of the time; returns
        (answers, truth) paths."""
        rng = random.Random(20240601)
        rows, truth = [], []
        for t in range(400):
            right = rng.randrange(2)
            truth.append([f"item{t}", str(right)])
            for w in rng.sample(range(30), 10):
                label = right if rng.random() < 0.9 else 1 - right
                rows.append([f"expert{w}", f"item{t}", str(label)])
        answers = write(os.path.join(cls.dir, "crowd.csv"),
                        csv_text(["worker", "task", "label"], rows))
        truth_path = write(os.path.join(cls.dir, "crowd-truth.csv"),
                           csv_text(["task", "label"], truth))
        return answers, truth_path

    @staticmethod
    def replay(answers, truth, *flags):
        """`fachwerk replay` of `answers` against `truth`; returns standard output."""
        return run_cli("replay", "--in", answers, "--truth", truth, *flags).stdout

    def replay_json(self, answers, truth, *flags):
        return json.loads(self.replay(answers, truth, "--format", "json", *flags))

    def test_replay_reports_both_policies(self):
        answers, truth = self.crowd
        doc = self.replay_json(answers, truth, "--policy", "adaptive", "--threshold", "0.99",
                               "--min", "2", "--seed", "5")
        self.assertEqual((doc["answers"], doc["tasks"], doc["truth_tasks"]), (4000, 400, 400))
        self.assertEqual(doc["baseline"]["policy"], "full")
        self.assertEqual(doc["baseline"]["judgments"], 4000)
        self.assertEqual(doc["run"]["policy"], "adaptive")
        self.assertEqual((doc["run"]["threshold"], doc["run"]["min"], doc["run"]["max"]),
                         (0.99, 2, 0))
        self.assertLess(doc["run"]["judgments"], 4000 * 0.6)
        self.assertGreaterEqual(doc["run"]["judgments"], 800)
        self.assertGreater(doc["run"]["fits"], 0)
        self.assertAlmostEqual(doc["savings"], 1 - doc["run"]["judgments"] / 4000)
        self.assertGreater(doc["baseline"]["accuracy"], 0.98)
        self.assertGreater(doc["run"]["accuracy"], 0.95)
        self.assertAlmostEqual(doc["accuracy_change_pp"],
                               100 * (doc["run"]["accuracy"] - doc["baseline"]["accuracy"]))
        again = self.replay_json(answers, truth, "--threshold", "0.99", "--seed", "5")
        self.assertEqual(again, doc)

        text = self.replay(answers, truth, "--seed", "5")
        self.assertIn("full redundancy", text)
        self.assertIn("adaptive (threshold", text)
        self.assertIn("savings", text)

    def test_replay_repeat_reports_means_over_seeds(self):
        answers, truth = self.crowd
        doc = self.replay_json(answers, truth, "--seed", "3", "--repeat", "3")
        self.assertEqual(doc["repeat"], 3)
        self.assertEqual([p["seed"] for p in doc["per_seed"]], [3, 4, 5])
        self.assertAlmostEqual(doc["run"]["judgments"],
                               sum(p["judgments"] for p in doc["per_seed"]) / 3)
        self.assertAlmostEqual(doc["savings"], sum(p["savings"] for p in doc["per_seed"]) / 3)
        single = self.replay_json(answers, truth, "--seed", "4")
        self.assertEqual(single["per_seed"][0], doc["per_seed"][1])
        text = self.replay(answers, truth, "--repeat", "3")
        self.assertIn("seeds 0..2, means", text)
        self.assertOneLineError(run_cli("replay", "--in", answers, "--truth", truth, "--repeat",
                                        "0", check=False), 2, "--repeat")

    def test_replay_gate_and_change(self):
        """Workers who always answer 0 are gated; the change test stops tasks the rest of the
        crowd could not overturn."""
        rng = random.Random(77)
        rows, truth = [], []
        for t in range(300):
            right = rng.randrange(2)
            truth.append([f"item{t}", str(right)])
            for w in range(8):
                label = right if rng.random() < 0.85 else 1 - right
                rows.append([f"expert{w}", f"item{t}", str(label)])
            for w in range(3):
                rows.append([f"idle{w}", f"item{t}", "0"])
        answers = write(self.path("gate.csv"), csv_text(["worker", "task", "label"], rows))
        truth_path = write(self.path("gate-truth.csv"), csv_text(["task", "label"], truth))

        def replay(*flags):
            return self.replay_json(answers, truth_path, "--threshold", "1", *flags)

        plain = replay()
        self.assertEqual((plain["savings"], plain["run"]["gated"]), (0, 0))
        gated = replay("--gate", "0.2")
        self.assertEqual((gated["run"]["gate"], gated["run"]["gate_min"]), (0.2, 20))
        self.assertGreater(gated["run"]["gated"], 600)
        self.assertAlmostEqual(gated["savings"], gated["run"]["gated"] / len(rows))
        self.assertGreaterEqual(gated["run"]["accuracy"], gated["baseline"]["accuracy"] - 0.01)
        changed = replay("--gate", "0.2", "--change", "0.01")
        self.assertEqual(changed["run"]["change"], 0.01)
        self.assertGreater(changed["savings"], gated["savings"] + 0.1)
        self.assertGreater(changed["run"]["stopped_early"], 0)
        self.assertGreaterEqual(changed["run"]["accuracy"], changed["baseline"]["accuracy"] - 0.02)
        text = self.replay(answers, truth_path, "--gate", "0.2", "--change", "0.01")
        self.assertIn("change 0.01, gate 0.2/20", text)
        self.assertIn("arrivals gated", text)

    def test_replay_fixed_policy(self):
        answers, truth = self.crowd
        doc = self.replay_json(answers, truth, "--policy", "fixed", "--max", "3")
        self.assertEqual(doc["run"]["policy"], "fixed")
        self.assertEqual(doc["run"]["judgments"], 1200)
        self.assertAlmostEqual(doc["savings"], 0.7)
        full = self.replay_json(answers, truth, "--policy", "fixed")
        self.assertEqual(full["run"]["judgments"], full["baseline"]["judgments"])
        self.assertEqual(full["run"]["accuracy"], full["baseline"]["accuracy"])
        self.assertEqual(full["savings"], 0)


if __name__ == "__main__":
    unittest.main()

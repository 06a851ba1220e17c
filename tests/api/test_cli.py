"""The command line as a new user meets it: unknown commands named, --version, commands that
work on an instance refusing to invent an empty one, and a taken port refused before the store
is touched. Each failure is one clear line on stderr and a non-zero exit."""

import os
import socket
import tempfile
import unittest

from fachwerk_client import run_cli


class CliTest(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="fw-cli-")
        self.addCleanup(self.tmp.cleanup)

    def test_an_unknown_command_is_named_with_the_commands_there_are(self):
        p = run_cli("frobnicate", check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("unknown command 'fachwerk frobnicate'", p.stderr)
        self.assertIn("serve", p.stderr)
        p = run_cli("admin", "frob", check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("unknown command 'fachwerk admin frob'", p.stderr)
        self.assertIn("create-lab", p.stderr)

    def test_version_flag_and_command(self):
        for args in (["--version"], ["version"]):
            p = run_cli(*args)
            self.assertRegex(p.stdout.strip(), r"^fachwerk \d+\.\d+\.\d+$")

    def test_instance_commands_do_not_create_a_store_that_is_not_there(self):
        missing = os.path.join(self.tmp.name, "nowhere")
        for args in (["admin", "create-lab", "--name", "X", "--slug", "xx"],
                     ["admin", "reset-password", "--email", "a@b.example", "--password", "x" * 12],
                     ["export", "--project", "prj_x"]):
            p = run_cli(*args, "--data", missing, check=False)
            self.assertNotEqual(p.returncode, 0, args)
            self.assertIn(f"no Fachwerk data in {missing}", p.stderr)
            self.assertFalse(os.path.exists(missing), args)
        # migrate and create-operator (the first step on a new instance) make one, and say so.
        p = run_cli("migrate", "--data", missing)
        self.assertIn(f"creating a new store in {missing}", p.stderr)
        self.assertTrue(os.path.exists(os.path.join(missing, "fachwerk.db")))
        run_cli("admin", "create-lab", "--name", "Lab", "--slug", "lab", "--data", missing)
        fresh = os.path.join(self.tmp.name, "fresh")
        p = run_cli("admin", "create-operator", "--data", fresh, "--email", "op@x.example",
                    "--name", "Op", "--password", "correct-horse-battery-staple")
        self.assertIn(f"creating a new store in {fresh}", p.stderr)

    def test_a_taken_port_fails_before_the_store_is_touched(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            s.listen()
            port = s.getsockname()[1]
            data = os.path.join(self.tmp.name, "data")
            p = run_cli("serve", "--data", data, "--listen", f"127.0.0.1:{port}", check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn(f"cannot listen on 127.0.0.1:{port}", p.stderr)
        self.assertIn("in use", p.stderr)
        self.assertNotIn("/usr/include", p.stderr)
        self.assertFalse(os.path.exists(data))


if __name__ == "__main__":
    unittest.main()

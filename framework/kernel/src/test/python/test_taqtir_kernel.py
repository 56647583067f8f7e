"""Conformance and behaviour tests of the Taqtir kernel over the Jupyter messaging protocol.

Run with a kernelspec named ``taqtir`` on JUPYTER_PATH:
    JUPYTER_PATH=<dir> /usr/bin/python3 -m unittest -v test_taqtir_kernel
KernelConformanceTest (JUnit) does this and checks how many tests ran.
"""

import os
import tempfile
import time
import unittest
from queue import Empty

import jupyter_kernel_test
import zmq
from jupyter_client.manager import start_new_kernel
from jupyter_client.session import Session


class TaqtirKernelConformance(jupyter_kernel_test.KernelTests):
    """Every test of jupyter_kernel_test, none skipped."""

    kernel_name = "taqtir"
    language_name = "java"
    file_extension = ".jshell"

    code_hello_world = 'System.out.println("hello, world");'
    code_stderr = 'System.err.println("oops");'
    completion_samples = [
        {"text": "Integer.MAX_", "matches": {"MAX_VALUE"}},
        {"text": "int n = 1; System.out.printl", "matches": {"println("}},
    ]
    complete_code_samples = ["1 + 1", "int x = 3;", "void f() { }", "%%time\n1 + 1"]
    incomplete_code_samples = ["int x = (1 +", "void g() {", "for (int i = 0; i < 3; i++) {"]
    invalid_code_samples = ["int x = );", "class 1 {}"]
    code_page_something = "?String.valueOf"
    code_generate_error = 'throw new IllegalStateException("boom");'
    code_execute_result = [
        {"code": "6*7", "result": "42"},
        {"code": '"a" + "b"', "result": "ab"},
        {"code": 'html("<b>x</b>")', "mime": "text/html", "result": "<b>x</b>"},
        {"code": 'markdown("*m*")', "mime": "text/markdown", "result": "*m*"},
    ]
    code_display_data = [
        {"code": 'display(html("<i>d</i>"));', "mime": "text/html"},
        {"code": 'display(markdown("# d"));', "mime": "text/markdown"},
    ]
    code_history_pattern = "6?7"
    supported_history_operations = ("tail", "range", "search")
    code_inspect_sample = "Math.max"
    code_clear_output = 'System.out.println("x"); clearOutput();'


class TaqtirKernelBehaviour(unittest.TestCase):
    """What jupyter_kernel_test does not cover: rich display, errors, interrupt, safety, magics."""

    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = start_new_kernel(kernel_name="taqtir")

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel()

    def run_cell(self, code, timeout=60):
        outputs = []
        reply = self.kc.execute_interactive(
            code, timeout=timeout, output_hook=lambda m: outputs.append(m)
        )
        return reply["content"], [m for m in outputs if m["msg_type"] != "status"]

    def result(self, code, mime="text/plain"):
        reply, outs = self.run_cell(code)
        self.assertEqual(reply["status"], "ok", outs)
        for m in outs:
            if m["msg_type"] in ("execute_result", "display_data"):
                if mime in m["content"]["data"]:
                    return m["content"]["data"][mime]
        self.fail("no %s output for %r: %r" % (mime, code, outs))

    def test_state_survives_across_cells(self):
        self.run_cell("int counter = 40;")
        self.assertEqual(self.result("counter + 2"), "42")

    def test_compile_error_has_line_and_caret(self):
        reply, outs = self.run_cell('int a = 1;\nint b = "two";')
        self.assertEqual(reply["status"], "error")
        err = [m for m in outs if m["msg_type"] == "error"][0]["content"]
        self.assertIn("line 2", err["evalue"])
        self.assertIn('int b = "two";', err["traceback"])
        caret = err["traceback"][err["traceback"].index('int b = "two";') + 1]
        self.assertEqual(caret.index("^"), 'int b = "two";'.index('"'))

    def test_runtime_exception_names_the_user_class(self):
        reply, outs = self.run_cell("Integer.parseInt(\"x\")")
        self.assertEqual(reply["status"], "error")
        self.assertEqual(reply["ename"], "NumberFormatException")
        self.assertIn('For input string: "x"', reply["evalue"])
        self.assertEqual(self.result("1 + 1"), "2")

    def test_stack_overflow_does_not_kill_the_kernel(self):
        reply, _ = self.run_cell("int down(int n) { return down(n + 1) + 1; }\ndown(0)")
        self.assertEqual(reply["status"], "error")
        self.assertIn("StackOverflowError", reply["evalue"])
        self.assertEqual(self.result("2 + 2"), "4")

    def test_chart_displays_as_png_and_table_as_html(self):
        png = self.result(
            "var c = new org.knowm.xchart.XYChartBuilder().width(200).height(150).build();\n"
            'c.addSeries("s", new double[] {1, 2, 3}, new double[] {3, 1, 2});\n'
            "c",
            "image/png",
        )
        self.assertTrue(png.startswith("iVBORw0KGgo"), png[:20])
        html = self.result(
            'tech.tablesaw.api.Table.create("t", tech.tablesaw.api.IntColumn.create("n", 1, 2))',
            "text/html",
        )
        self.assertIn("<th>n</th>", html)
        self.assertIn("<td>2</td>", html)

    def test_plugins_are_found_from_cells_and_pool_threads(self):
        n = self.result("PluginRegistry.load().strategies().all().size()")
        m = self.result(
            "java.util.stream.IntStream.range(0, 4).parallel()"
            ".map(i -> PluginRegistry.load().strategies().all().size()).max().getAsInt()"
        )
        self.assertGreaterEqual(int(n), 1, "no strategy plugin found from a cell")
        self.assertEqual(n, m)

    def test_a_strategy_written_in_a_cell_can_be_registered(self):
        self.run_cell(
            "class MyKd implements StrategyProvider {\n"
            '  public String id() { return "my-notebook-kd"; }\n'
            "  public Family family() { return Family.RESPONSE; }\n"
            "  public java.util.Set<Capability> capabilities() { return java.util.Set.of(); }\n"
            "  public DistillationStrategy create(Params p) { throw new UnsupportedOperationException(); }\n"
            "}"
        )
        self.assertEqual(self.result("registerStrategy(new MyKd())"), "my-notebook-kd")
        self.assertEqual(
            self.result('registry().strategies().find("my-notebook-kd").isPresent()'), "true"
        )

    def test_live_progress_updates_one_display(self):
        reply, outs = self.run_cell(
            "var p = progress();\n"
            "p.epochStarted(0, 8);\n"
            "for (int i = 0; i < 8; i++) { p.stepDone(0, i, 1.0 / (i + 1), 100); Thread.sleep(80); }\n"
            "p.epochDone(new EpochMetrics(0, 0.5, 0.4, 0.9, 0.05, 1.0, 100));"
        )
        self.assertEqual(reply["status"], "ok", outs)
        shown = [m for m in outs if m["msg_type"] == "display_data"]
        updates = [m for m in outs if m["msg_type"] == "update_display_data"]
        self.assertEqual(len(shown), 1, outs)
        display_id = shown[0]["content"]["transient"]["display_id"]
        self.assertGreaterEqual(len(updates), 2)
        self.assertTrue(all(u["content"]["transient"]["display_id"] == display_id for u in updates))
        self.assertIn("val acc 0.9000", updates[-1]["content"]["data"]["text/plain"])

    def test_time_magic_and_unknown_magic(self):
        reply, outs = self.run_cell("%%time\nThread.sleep(20);")
        self.assertEqual(reply["status"], "ok")
        text = "".join(m["content"]["text"] for m in outs if m["msg_type"] == "stream")
        self.assertRegex(text, r"Wall time: \d+\.\d ms")
        reply, _ = self.run_cell("%nosuch")
        self.assertEqual(reply["status"], "error")
        self.assertIn("%classpath", reply["evalue"])

    def test_classpath_magic_adds_a_jar(self):
        with tempfile.TemporaryDirectory() as d:
            src = os.path.join(d, "Hello.java")
            with open(src, "w") as f:
                f.write("package demo; public class Hello { public static String hi() { return \"hi from jar\"; } }")
            self.assertEqual(os.system("cd %s && javac -d . Hello.java && jar cf hello.jar demo" % d), 0)
            reply, _ = self.run_cell("%%classpath add %s/hello.jar" % d)
            self.assertEqual(reply["status"], "ok")
            self.assertEqual(self.result("demo.Hello.hi()"), "hi from jar")

    def test_interrupt_stops_a_busy_loop(self):
        msg_id = self.kc.execute("while (true) {}")
        time.sleep(1.5)
        self.km.interrupt_kernel()
        deadline = time.time() + 20
        while True:
            reply = self.kc.get_shell_msg(timeout=max(0.1, deadline - time.time()))
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(self.result("3 + 3"), "6")

    def test_binds_to_the_connection_ip_only(self):
        info = self.km.get_connection_info()
        self.assertEqual(info["ip"], "127.0.0.1")
        listening = set()
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            if not os.path.exists(table):
                continue
            with open(table) as f:
                next(f)
                for line in f:
                    local, state = line.split()[1], line.split()[3]
                    if state == "0A":  # LISTEN
                        addr, port = local.split(":")
                        listening.add((addr, int(port, 16)))
        for key in ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port"):
            addrs = {a for a, p in listening if p == info[key]}
            # 127.0.0.1 as /proc writes it (little-endian hex), plain or IPv4-mapped on a tcp6 socket
            self.assertTrue(addrs, key)
            self.assertLessEqual(addrs, {"0100007F", "0000000000000000FFFF00000100007F"}, key)

    def test_messages_with_a_wrong_or_missing_signature_are_ignored(self):
        info = self.km.get_connection_info()
        marker = os.path.join(tempfile.mkdtemp(), "executed")
        code = 'new java.io.File("%s").createNewFile();' % marker
        ctx = zmq.Context.instance()
        for key in (b"not-the-key", b""):
            sock = ctx.socket(zmq.DEALER)
            sock.connect("tcp://%s:%d" % (info["ip"], info["shell_port"]))
            session = Session(key=key, username="attacker")
            msg = session.msg("execute_request", {"code": code, "silent": False})
            session.send(sock, msg)
            self.assertEqual(sock.poll(2000), 0, "the kernel replied to a forged message")
            sock.close(0)
        self.assertFalse(os.path.exists(marker), "a forged message was executed")
        self.assertEqual(self.result("5 + 5"), "10")


if __name__ == "__main__":
    unittest.main()

package org.taqtir.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code taqtir}: list and describe plugins, run studies. Exit codes: 0 success, 1 failure, 2 bad
 * input (one line on stderr; the stack trace only with {@code --verbose}).
 */
@Command(
    name = "taqtir",
    mixinStandardHelpOptions = true,
    version = "taqtir 0.1.0",
    description = "Knowledge-distillation research on the JVM.",
    subcommands = {
      ListCommand.class,
      DescribeCommand.class,
      RunCommand.class,
      QuickstartCommand.class,
      BenchCommand.class,
      KernelCommand.class,
      RunsCommand.class,
      ReproduceCommand.class,
      EvaluateCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {

  /** Exit code for bad input: config errors, unknown ids, missing files. */
  public static final int BAD_INPUT = 2;

  @Option(
      names = {"-v", "--verbose"},
      description = "Print stack traces of errors.",
      scope = CommandLine.ScopeType.INHERIT)
  boolean verbose;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * Gives every subcommand {@code -h/--help} (and {@code -V}), so {@code taqtir run --help} works.
   */
  private static void withHelp(CommandLine cl) {
    for (CommandLine sub : cl.getSubcommands().values()) {
      if (sub.getCommandSpec().findOption("--help") == null) {
        sub.getCommandSpec().mixinStandardHelpOptions(true);
      }
      withHelp(sub);
    }
  }

  /**
   * Runs the command line and returns its exit code.
   *
   * @param args the arguments
   * @param out standard output
   * @param err standard error
   * @return 0, 1 or 2
   */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    Main main = new Main();
    CommandLine cl = new CommandLine(main);
    withHelp(cl);
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          boolean bad = ex instanceof IllegalArgumentException;
          Throwable root = ex;
          err.println(
              "taqtir: " + (root.getMessage() == null ? root.toString() : root.getMessage()));
          if (main.verbose) {
            ex.printStackTrace(err);
          } else if (!bad) {
            err.println("(run with --verbose for the stack trace)");
          }
          err.flush();
          return bad ? BAD_INPUT : 1;
        });
    cl.setParameterExceptionHandler(
        (ex, a) -> {
          err.println("taqtir: " + ex.getMessage());
          err.flush();
          return BAD_INPUT;
        });
    int code = cl.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /**
   * Entry point.
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(execute(args, out, err));
  }
}

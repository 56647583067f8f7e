"""Notebook 8, write your own strategy: the code cells.

The strategy's class text is written once (CLASS) and used twice: as a notebook cell, and embedded as the
source file that the packaging cell compiles into a plugin jar, so the two can never drift apart.
"""

IMPORTS = """import ai.djl.ndarray.NDArray;
import java.util.Set;
import org.taqtir.api.*;
"""

CLASS = """/** Logit matching: regress the teacher's logits (Ba & Caruana 2014). */
class LogitMse implements StrategyProvider {
  public String id() { return "logit-mse"; }
  public ParamSpec params() { return ParamSpec.EMPTY; }
  public String description() { return "mean squared error between student and teacher logits"; }
  public String paper() { return "Ba & Caruana 2014, Do Deep Nets Really Need to be Deep?, NeurIPS"; }
  public String formula() { return "L = 1/(B*C) sum_i ||s_i - t_i||^2"; }
  public Family family() { return Family.RESPONSE; }
  public Set<Capability> capabilities() { return Set.of(Capability.NEEDS_TEACHER); }

  public DistillationStrategy create(Params params) {
    return new DistillationStrategy() {
      public NDArray loss(StepOutputs student, StepOutputs teacher, BatchContext batch) {
        // constants are NDArrays owned by the batch, never op(Number) inside the graph (DJL use-after-free)
        NDArray scale = batch.manager().create(1f / student.logits().size());
        return student.logits().sub(teacher.logits()).square().sum().mul(scale);
      }

      public String toString() { return "logit-mse"; }
    };
  }
}
"""

STRATEGY = IMPORTS + "\n" + CLASS

REGISTER = r'''
registerStrategy(new LogitMse());
var p = registry().strategies().get("logit-mse");
System.out.println(p.id() + " (" + p.family() + "): " + p.description() + "\n    " + p.formula() + "\n    " + p.paper());
'''

CONTRACT = r'''
class LogitMseContract extends org.taqtir.testkit.StrategyContractTest {
  protected StrategyProvider provider() { return new LogitMse(); }
  // the loss is exactly 0 when the student's logits equal the teacher's: let the kit check it
  protected Params paramsZeroWhenStudentEqualsTeacher() { return params(); }
}
var checked = contract(LogitMseContract.class);
// every check must pass except the service registration, which only packaging can satisfy (below)
List<String> failed = checked.rows().stream().filter(r -> r[1].equals("failed")).map(r -> r[0]).toList();
if (!failed.equals(List.of("discoveredByServiceLoaderWithAValidId()")))
  throw new AssertionError("the contract kit found a problem:\n" + checked);
checked
'''

BROKEN = r'''
/** The same loss with a classic silent bug: the student's logits are detached from the graph. */
class DetachedLogitMse extends LogitMse {
  public String id() { return "logit-mse-detached"; }
  public DistillationStrategy create(Params params) {
    return new DistillationStrategy() {
      public NDArray loss(StepOutputs student, StepOutputs teacher, BatchContext batch) {
        NDArray scale = batch.manager().create(1f / student.logits().size());
        return student.logits().stopGradient().sub(teacher.logits()).square().sum().mul(scale);
      }
    };
  }
}
class DetachedContract extends org.taqtir.testkit.StrategyContractTest {
  protected StrategyProvider provider() { return new DetachedLogitMse(); }
}
var broken = contract(DetachedContract.class);
if (broken.passed()) throw new AssertionError("the contract kit should have caught the detached logits");
broken
'''

MY_KD = r'''
import ai.djl.ndarray.NDManager;

/**
 * Exercise: Hinton KD by hand, L = (1-α)·CE(y, softmax(s)) + α·T²·KL(softmax(t/T) ‖ softmax(s/T)),
 * the KL summed over classes and averaged over the batch. `withTSquared` lets the cell below try the
 * version with the classic bug (no T²) too.
 */
class MyHintonKd implements StrategyProvider {
  final boolean withTSquared;
  MyHintonKd(boolean withTSquared) { this.withTSquared = withTSquared; }
  public String id() { return withTSquared ? "my-hinton-kd" : "my-hinton-kd-without-t2"; }
  // the same parameters as the built-in strategy (temperature, alpha)
  public ParamSpec params() { return registry().strategies().get("hinton-kd").params(); }
  public String description() { return "Hinton KD written in notebook 8"; }
  public String paper() { return "Hinton, Vinyals, Dean 2015, Distilling the Knowledge in a Neural Network"; }
  public String formula() { return "L = (1-α)·CE(y, s) + α·T²·KL(p_t(T) ‖ p_s(T))"; }
  public Family family() { return Family.RESPONSE; }
  public Set<Capability> capabilities() { return Set.of(Capability.NEEDS_TEACHER); }

  public DistillationStrategy create(Params params) {
    double t = params.getDouble("temperature"), alpha = params.getDouble("alpha");
    return new DistillationStrategy() {
      public NDArray loss(StepOutputs student, StepOutputs teacher, BatchContext batch) {
        NDManager m = batch.manager();
        NDArray invT = m.create((float) (1 / t));
        // log-probabilities from logSoftmax, never log(softmax): no log(0) for a confident teacher
        NDArray logQ = student.logits().mul(invT).logSoftmax(1);
        NDArray logP = teacher.logits().mul(invT).logSoftmax(1);
        NDArray kl = logP.exp().mul(logP.sub(logQ)).sum(new int[] {1}).mean();
        NDArray ce = student.logits().logSoftmax(1).mul(batch.oneHot()).sum(new int[] {1}).mean().neg();
        double soft = withTSquared ? alpha * t * t : alpha;
        return ce.mul(m.create((float) (1 - alpha))).add(kl.mul(m.create((float) soft)));
      }
    };
  }
}
'''

CHECK = r'''
import org.taqtir.testkit.GoldenLosses;
import tech.tablesaw.api.*;

/** The same random batch (logits of spread 3, 16 samples, 10 classes) through a strategy. */
double lossOn(StrategyProvider p, double temperature, double alpha, long seed) {
  Random rng = new Random(seed);
  int b = 16, k = 10;
  double[] s = rng.doubles(b * k).map(v -> 6 * v - 3).toArray(), t = rng.doubles(b * k).map(v -> 6 * v - 3).toArray();
  int[] y = rng.ints(b, 0, k).toArray();
  var c = new GoldenLosses.Case(p.id(), Map.of("temperature", temperature, "alpha", alpha), "", 0, k, s, t, y,
      Map.of(), Map.of(), Double.NaN, "float32", null);
  return GoldenLosses.loss(p, c);
}
StrategyProvider builtIn = registry().strategies().get("hinton-kd");
Table check = Table.create("your loss against the built-in hinton-kd, same batches");
StringColumn who = StringColumn.create("version");
DoubleColumn temp = DoubleColumn.create("T"), alphas = DoubleColumn.create("alpha");
DoubleColumn ref = DoubleColumn.create("hinton-kd"), mine = DoubleColumn.create("yours"), ratio = DoubleColumn.create("hinton-kd / yours");
Map<String, Double> worst = new LinkedHashMap<>();
for (boolean withT2 : List.of(false, true)) {
  MyHintonKd yours = new MyHintonKd(withT2);
  double worstRel = 0;
  for (double tt : new double[] {1, 2, 4, 8})
    for (double a : new double[] {0.5, 0.9}) {
      double r = lossOn(builtIn, tt, a, 7), m = lossOn(yours, tt, a, 7);
      who.append(yours.id()); temp.append(tt); alphas.append(a); ref.append(r); mine.append(m); ratio.append(r / m);
      worstRel = Math.max(worstRel, Math.abs(r - m) / Math.max(1, Math.abs(r)));
    }
  worst.put(yours.id(), worstRel);
}
check.addColumns(who, temp, alphas, ref, mine, ratio);
worst.forEach((id, w) -> System.out.println(String.format("%-24s largest relative difference %.1e: %s", id, w,
    w < 1e-5 ? "matches hinton-kd" : "does NOT match hinton-kd")));
// and the contract kit? It passes both versions: a contract does not know a strategy's formula
class WithoutT2Contract extends org.taqtir.testkit.StrategyContractTest {
  protected StrategyProvider provider() { return new MyHintonKd(false); }
}
List<String> contractFailures = contract(WithoutT2Contract.class).rows().stream()
    .filter(r -> r[1].equals("failed")).map(r -> r[0]).toList();
System.out.println("contract checks failed by the version without T²: " + contractFailures);
check
'''

STUDY = r'''
boolean quick = quick();
String yaml = """
    name: nb08-own-strategy
    data: {dir: /usr/share/datasets/fashion-mnist, validation: 5000, split_seed: 42, train_limit: %d}
    teacher:
      train:
        architecture: {id: mlp, params: {hidden: %s}}
        training: {epochs: %d}
    students:
      - {name: mlp-128, architecture: {id: mlp, params: {hidden: [128]}}}
    strategies:
      - {id: labels-only}
      - {id: logit-mse}
      - name: logit-mse+ce
        terms: [{id: labels-only}, {id: logit-mse, weight: 0.5}]
    training: {epochs: %d, batch_size: 128, optimizer: {type: sgd, lr: 0.05, momentum: 0.9}, schedule: {type: cosine}}
    seeds: [1]
    evaluation: {corruptions: false}
    output: {dir: "%s", plots: false}
    """.formatted(quick ? 4000 : 0, quick ? "[256]" : "[1200, 1200]", quick ? 2 : 8, quick ? 2 : 6, runsDir());
Study study = new StudyParser(registry()).parse(yaml, Path.of("08-own-strategy.yaml"), Map.of());
StudyResult result = new StudyRunner(registry(), run -> progress(), System.out::println).run(study);
ResultsTable.of(result)
'''

def _package():
    source = "package org.example.kd;\n\n" + IMPORTS + "\n" + CLASS.replace("\nclass LogitMse", "\npublic class LogitMse", 1)
    assert '"""' not in source and "\\" not in source
    block = "".join("    " + line + "\n" if line else "\n" for line in source.splitlines())
    return r'''
import javax.tools.*;
import java.util.jar.*;

// the class above as a source file (the same text, plus a package and `public`)
String source = """
''' + block + r'''    """;
Path plugin = Files.createTempDirectory("logit-mse-plugin");
Path src = plugin.resolve("src/org/example/kd/LogitMse.java");
Files.createDirectories(src.getParent());
Files.writeString(src, source);
Path classes = Files.createDirectories(plugin.resolve("classes"));
JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
int rc = javac.run(null, null, null, "--release", "17", "-cp", System.getProperty("java.class.path"),
    "-d", classes.toString(), src.toString());
if (rc != 0) throw new IllegalStateException("javac failed");
// one line registers it with ServiceLoader
Path services = classes.resolve("META-INF/services/org.taqtir.api.StrategyProvider");
Files.createDirectories(services.getParent());
Files.writeString(services, "org.example.kd.LogitMse\n");
Path jar = plugin.resolve("logit-mse-plugin.jar");
try (var out = new JarOutputStream(Files.newOutputStream(jar));
     var files = Files.walk(classes)) {
  for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
    out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
    out.write(Files.readAllBytes(f));
    out.closeEntry();
  }
}
System.out.println("built " + jar.getFileName() + " (" + Files.size(jar) + " bytes)");
'''

PACKAGE = _package()

DISCOVER = r'''
// a fresh Taqtir process with the jar on its plugin path: `taqtir describe logit-mse`, no change to Taqtir itself
Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
Process proc = new ProcessBuilder(javaBin.toString(), "-Dai.djl.offline=true",
        "-cp", jar + File.pathSeparator + System.getProperty("java.class.path"),
        "org.taqtir.cli.Main", "describe", "logit-mse")
    .redirectErrorStream(true).start();
String described = new String(proc.getInputStream().readAllBytes());
if (proc.waitFor() != 0 || !described.contains("Ba & Caruana")) throw new IllegalStateException(described);
System.out.println(described);
'''

CURVES = r'''
StudyCharts.learningCurves(result)
'''

RECHECK = r'''
// the packaged class, found through ServiceLoader in the jar, passes the whole kit
var pluginLoader = new java.net.URLClassLoader(new java.net.URL[] {jar.toUri().toURL()},
    Thread.currentThread().getContextClassLoader());
StrategyProvider packaged = ServiceLoader.load(StrategyProvider.class, pluginLoader).stream()
    .map(ServiceLoader.Provider::get).filter(q -> q.id().equals("logit-mse")).findFirst().orElseThrow();
System.out.println("loaded " + packaged.getClass().getName() + " from " + jar.getFileName());
class PackagedContract extends org.taqtir.testkit.StrategyContractTest {
  protected StrategyProvider provider() { return packaged; }
  protected Params paramsZeroWhenStudentEqualsTeacher() { return params(); }
}
ClassLoader cellLoader = Thread.currentThread().getContextClassLoader();
Thread.currentThread().setContextClassLoader(pluginLoader);   // ServiceLoader.load(...) in the kit sees the jar
var packagedResults = contract(PackagedContract.class);
Thread.currentThread().setContextClassLoader(cellLoader);
if (!packagedResults.passed()) throw new AssertionError("the packaged plugin fails its contract:\n" + packagedResults);
packagedResults
'''

CELLS = ["STRATEGY", "REGISTER", "CONTRACT", "BROKEN", "MY_KD", "CHECK", "STUDY", "CURVES", "PACKAGE", "RECHECK", "DISCOVER"]
MIN_IMAGES = 1  # learning curves

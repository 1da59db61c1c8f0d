package lakehouse.common.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.catalog.LakeCatalog;
import lakehouse.common.catalog.TableId;
import lakehouse.common.settings.LakePaths;
import lakehouse.common.settings.LakehouseSettings;
import org.apache.spark.sql.SparkSession;

/**
 * A lake of its own for one test: the project's real configuration, with the lake and landing roots
 * moved into a temporary folder, on the JVM's shared Spark session.
 */
public final class TestLake {
  private final Path dir;
  private final LakehouseSettings settings;

  private TestLake(Path dir, LakehouseSettings settings) {
    this.dir = dir;
    this.settings = settings;
  }

  /** The project's {@code conf/} directory (set by surefire, else found from the working dir). */
  /** A copy of the project's conf dir at {@code <dir>/conf}, to declare sources or tables in. */
  public static Path copyConf(Path dir) {
    Path conf = dir.resolve("conf");
    try (var files = java.nio.file.Files.walk(confDir())) {
      for (Path from : files.toList()) {
        Path to = conf.resolve(confDir().relativize(from).toString());
        if (java.nio.file.Files.isDirectory(from)) {
          java.nio.file.Files.createDirectories(to);
        } else {
          java.nio.file.Files.copy(from, to);
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return conf;
  }

  public static Path confDir() {
    String property = System.getProperty("lakehouse.conf.dir");
    if (property != null) {
      return Path.of(property);
    }
    Path here = Path.of("").toAbsolutePath();
    return here.resolve("conf").toFile().isDirectory()
        ? here.resolve("conf")
        : here.getParent().resolve("conf");
  }

  /** A lake under {@code dir}, with any extra {@code key=value} overrides. */
  public static TestLake create(Path dir, String... overrides) {
    List<String> all = new ArrayList<>();
    all.add("lakehouse.lake-root=" + LakePaths.toFileUri(dir.resolve("lake").toString()));
    all.add("lakehouse.landing-root=" + LakePaths.toFileUri(dir.resolve("landing").toString()));
    all.addAll(Arrays.asList(overrides));
    return new TestLake(dir, LakehouseSettings.load(confDir(), "local", all));
  }

  public Path dir() {
    return dir;
  }

  public LakehouseSettings settings() {
    return settings;
  }

  public SparkSession spark() {
    return SparkTestSession.get();
  }

  /** A runtime on the shared session; closing it leaves the session running. */
  public LakehouseRuntime runtime() {
    return LakehouseRuntime.attach(settings, spark());
  }

  /**
   * Appends the rows of a {@code SELECT} to table {@code id} of this lake (a new Delta table the
   * first time), one commit; nothing is registered.
   */
  public void append(TableId id, String select) {
    spark()
        .sql(select)
        .write()
        .format("delta")
        .mode("append")
        .save(new LakeCatalog(spark(), lakeRoot()).location(id));
  }

  public String lakeRoot() {
    return settings.lakeRoot();
  }

  public String landingRoot() {
    return settings.landingRoot();
  }
}

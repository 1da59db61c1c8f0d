package lakehouse.common.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One bucket on a real S3 API server ({@link S3TestServer}) for a test class: the server starts
 * before the class's first test and stops after its last. Register it with
 * {@code @RegisterExtension static final S3Bucket S3 = new S3Bucket("lake-test");}.
 */
public final class S3Bucket implements BeforeAllCallback, AfterAllCallback {
  private final String name;
  private final boolean gated;
  private Path workDir;
  private S3TestServer server;

  public S3Bucket(String name) {
    this(name, false);
  }

  /**
   * @param gated whether a test can cut the server off and restore it (fault tests)
   */
  public S3Bucket(String name, boolean gated) {
    this.name = name;
    this.gated = gated;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    workDir = Files.createTempDirectory("s3-test-server");
    server = S3TestServer.start(workDir, gated);
    server.createBucket(name);
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    try {
      if (server != null) {
        server.close();
      }
    } finally {
      try (Stream<Path> paths = Files.walk(workDir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  public String name() {
    return name;
  }

  public S3TestServer server() {
    return server;
  }

  /**
   * A test lake whose lake and landing roots are in this bucket ({@code s3a://<name>/lake} and
   * {@code .../landing}), with its Spark session's s3a set up for the server.
   */
  public TestLake lake(Path dir) {
    TestLake lake = TestLake.create(dir, server.overrides(name));
    server.configure(lake.spark().sparkContext().hadoopConfiguration());
    return lake;
  }
}

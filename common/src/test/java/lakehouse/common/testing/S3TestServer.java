package lakehouse.common.testing;

import com.amazonaws.auth.AWSStaticCredentialsProvider;
import com.amazonaws.auth.BasicAWSCredentials;
import com.amazonaws.client.builder.AwsClientBuilder;
import com.amazonaws.services.s3.AmazonS3;
import com.amazonaws.services.s3.AmazonS3ClientBuilder;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real S3 API server (s3proxy, in-memory backend) on 127.0.0.1, in a JVM of its own so that its
 * libraries never meet Spark's. Tests reach it through s3a with path-style access.
 */
public final class S3TestServer implements AutoCloseable {
  public static final String ACCESS_KEY = "lakehouse-test";
  public static final String SECRET_KEY = "lakehouse-test-secret";
  private final Path workDir;
  private final int port;
  private Process process;
  private TcpGate gate;

  private S3TestServer(Path workDir, int port) {
    this.workDir = workDir;
    this.port = port;
  }

  /** Starts the server (objects in memory) and waits until it answers. */
  public static S3TestServer start(Path workDir) throws IOException, InterruptedException {
    return start(workDir, false);
  }

  /**
   * Starts the server and waits until it answers; with {@code gated}, clients reach it through a
   * {@link TcpGate}, so a test can make the storage stop answering ({@link #cut()}) and come back
   * with its objects ({@link #restore()}).
   */
  public static S3TestServer start(Path workDir, boolean gated)
      throws IOException, InterruptedException {
    int port = TcpGate.freePort();
    Files.writeString(
        workDir.resolve("s3proxy.properties"),
        String.join(
            "\n",
            "s3proxy.endpoint=http://127.0.0.1:" + port,
            "s3proxy.authorization=aws-v2-or-v4",
            "s3proxy.identity=" + ACCESS_KEY,
            "s3proxy.credential=" + SECRET_KEY,
            "jclouds.provider=transient",
            "jclouds.identity=" + ACCESS_KEY,
            "jclouds.credential=" + SECRET_KEY,
            ""));
    S3TestServer server = new S3TestServer(workDir, port);
    server.launch();
    if (gated) {
      server.gate = TcpGate.to(port);
    }
    return server;
  }

  /** Starts the server process on its port and waits until it answers. */
  private void launch() throws IOException, InterruptedException {
    String jar = System.getProperty("s3proxy.jar");
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException(
          "s3proxy jar not found at " + jar + " (run the tests through Maven, which downloads it)");
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    process =
        new ProcessBuilder(
                List.of(
                    java,
                    "-Xmx512m",
                    "-jar",
                    jar,
                    "--properties",
                    workDir.resolve("s3proxy.properties").toString()))
            .redirectErrorStream(true)
            .redirectOutput(workDir.resolve("s3proxy.log").toFile())
            .start();
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "s3proxy exited: " + Files.readString(workDir.resolve("s3proxy.log")));
      }
      try (Socket ignored = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(200);
      }
    }
    close();
    throw new IllegalStateException("s3proxy did not start within 60 s on port " + port);
  }

  /** A gated server stops answering: every connection drops, new ones are refused. */
  public void cut() {
    gate().cut();
  }

  /** A gated server answers again, with every object it held. */
  public void restore() throws IOException {
    gate().open();
  }

  private TcpGate gate() {
    if (gate == null) {
      throw new IllegalStateException("the server was not started gated");
    }
    return gate;
  }

  public String endpoint() {
    return "http://127.0.0.1:" + (gate != null ? gate.port() : port);
  }

  public void createBucket(String bucket) {
    client().createBucket(bucket);
  }

  public AmazonS3 client() {
    return AmazonS3ClientBuilder.standard()
        .withEndpointConfiguration(
            new AwsClientBuilder.EndpointConfiguration(endpoint(), "us-east-1"))
        .withPathStyleAccessEnabled(true)
        .withCredentials(
            new AWSStaticCredentialsProvider(new BasicAWSCredentials(ACCESS_KEY, SECRET_KEY)))
        .build();
  }

  /**
   * Settings overrides that point the lake at this server in the shape of {@code prod.conf}: s3a
   * endpoint, path style, no TLS; the test's static keys stand in for the credential chain.
   */
  public String[] overrides(String bucket) {
    return new String[] {
      "lakehouse.lake-root=s3a://" + bucket + "/lake",
      "lakehouse.landing-root=s3a://" + bucket + "/landing",
      "lakehouse.s3.endpoint=" + endpoint(),
      "lakehouse.s3.path-style-access=true",
      "lakehouse.s3.ssl-enabled=false",
      "lakehouse.s3.credentials-provider=org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider",
    };
  }

  /** Hadoop settings for a session that is already running (the shared test session). */
  public void configure(org.apache.hadoop.conf.Configuration hadoop) {
    hadoop.set("fs.s3a.endpoint", endpoint());
    hadoop.set("fs.s3a.path.style.access", "true");
    hadoop.set("fs.s3a.connection.ssl.enabled", "false");
    hadoop.set(
        "fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    hadoop.set("fs.s3a.access.key", ACCESS_KEY);
    hadoop.set("fs.s3a.secret.key", SECRET_KEY);
    hadoop.set("fs.s3a.impl", "org.apache.hadoop.fs.s3a.S3AFileSystem");
    hadoop.set("fs.s3a.change.detection.mode", "none");
  }

  @Override
  public void close() {
    if (gate != null) {
      gate.close();
    }
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}

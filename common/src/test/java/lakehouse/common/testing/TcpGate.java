package lakehouse.common.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder on 127.0.0.1 in front of a server: {@link #cut()} drops every connection and
 * refuses new ones, {@link #open()} answers again on the same port. To a client, a service that
 * stops answering mid-run and comes back later with its data.
 */
public final class TcpGate implements AutoCloseable {
  private final int port;
  private final int target;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private ServerSocket listener;

  private TcpGate(int port, int target) {
    this.port = port;
    this.target = target;
  }

  /** A gate on a free port, forwarding to {@code target} on 127.0.0.1, open. */
  public static TcpGate to(int target) throws IOException {
    TcpGate gate = new TcpGate(freePort(), target);
    gate.open();
    return gate;
  }

  public int port() {
    return port;
  }

  /** Accepts connections (again) on the gate's port. */
  public synchronized void open() throws IOException {
    ServerSocket socket = new ServerSocket();
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    listener = socket;
    Thread accept = new Thread(() -> accept(socket), "tcp-gate-" + port);
    accept.setDaemon(true);
    accept.start();
  }

  /** Drops every connection and refuses new ones until {@link #open()}. */
  public synchronized void cut() {
    closeQuietly(listener);
    sockets.forEach(TcpGate::closeQuietly);
    sockets.clear();
  }

  @Override
  public void close() {
    cut();
  }

  private void accept(ServerSocket socket) {
    while (!socket.isClosed()) {
      try {
        Socket client = socket.accept();
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
        sockets.add(client);
        sockets.add(upstream);
        pump(client, upstream);
        pump(upstream, client);
      } catch (IOException closedOrRefused) {
        // the gate was cut, or the server is gone: the client sees its connection drop
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread copy =
        new Thread(
            () -> {
              byte[] buffer = new byte[64 * 1024];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                  out.write(buffer, 0, n);
                  out.flush();
                }
              } catch (IOException dropped) {
                // either side closed, or the gate was cut
              } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
              }
            },
            "tcp-gate-copy");
    copy.setDaemon(true);
    copy.start();
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void closeQuietly(java.io.Closeable closeable) {
    try {
      if (closeable != null) {
        closeable.close();
      }
    } catch (IOException ignored) {
      // closing is all that is asked
    }
  }
}

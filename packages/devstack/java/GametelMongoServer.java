// The local MongoDB endpoint: mongo-java-server with its on-disk H2 MVStore backend and the oplog on
// (change streams). Started by @gametel/devstack as a single-file program:
//   java -cp '<cache>/artifacts/mongo/lib/*' GametelMongoServer.java <host> <port> <data file>
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import java.util.List;

public final class GametelMongoServer {

    // What the server implements is MongoDB 4.2's wire protocol (wire version 8). The library's own
    // MONGO_5_0 constant pairs wire version 8 with the string "5.0.0"; we report the honest 4.2.0.
    enum Reported implements MongoVersion {
        MONGO_4_2;

        @Override
        public List<Integer> getVersionArray() {
            return List.of(4, 2, 0);
        }

        @Override
        public int getWireVersion() {
            return 8;
        }
    }

    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: GametelMongoServer <host> <port> <data file>");
            System.exit(2);
        }
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        String dataFile = args[2];

        H2Backend backend = new H2Backend(dataFile);
        backend.version(Reported.MONGO_4_2);
        MongoServer server = new MongoServer(backend);
        server.enableOplog();
        try {
            server.bind(host, port);
        } catch (RuntimeException e) {
            System.err.println("gametel-mongo: cannot listen on " + host + ":" + port + ": " + e.getMessage());
            backend.close();
            System.exit(1);
        }
        // SIGTERM (stack:down): stop listening and close the MVStore so the last writes reach the disk.
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown, "gametel-mongo-shutdown"));
        System.out.println("gametel-mongo: listening on " + host + ":" + port + ", data in " + dataFile
                + ", reporting MongoDB 4.2.0 (wire version 8)");
    }
}

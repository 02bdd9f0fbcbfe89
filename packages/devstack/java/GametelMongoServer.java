// The local MongoDB endpoint: mongo-java-server with its on-disk H2 MVStore backend and the oplog on
// (change streams). Started by @gametel/devstack as a single-file program:
//   java -cp '<cache>/artifacts/mongo/lib/*' GametelMongoServer.java <host> <port> <data file> <oplog minutes>
import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.AbstractMongoCollection;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.Cursor;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.QueryParameters;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;
import de.bwaldvogel.mongo.backend.aggregation.Aggregation;
import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import de.bwaldvogel.mongo.oplog.Oplog;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collection;
import java.util.regex.Pattern;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

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

    // The library's oplog is an ordinary collection that is never trimmed, and every change-stream
    // poll scans all of it: without a bound it gets slower with every write. Real MongoDB caps its
    // oplog too (by size); here entries older than the window are deleted, every 5 s, and beyond this many
    // entries the oldest go first: in memory an unbounded oplog would fill the heap under a benchmark
    // (about one entry per processed event). The newest entry always stays (as on a real server), so the
    // oplog never becomes empty and its oldest entry always says where the history starts.
    static final int OPLOG_MAX_ENTRIES = 150_000;

    static void trimOplog(H2Backend backend, HistoryCheckingOplog history, Duration window) {
        try {
            MongoCollection<?> oplog = backend.resolveDatabase("local").resolveCollection("oplog.rs", false);
            if (oplog == null) {
                return;
            }
            List<Document> entries = oplog.queryAllAsStream().collect(Collectors.toList());
            if (entries.isEmpty()) {
                return;
            }
            Instant now = Instant.now();
            Duration kept = window;
            while (countNewer(entries, now.minus(kept)) > OPLOG_MAX_ENTRIES && kept.toMillis() > 1000) {
                kept = kept.dividedBy(2);
            }
            Instant cutoff = now.minus(kept);
            BsonTimestamp newest = null;
            BsonTimestamp oldestKept = null;
            for (Document entry : entries) {
                BsonTimestamp ts = (BsonTimestamp) entry.get("ts");
                if (newest == null || ts.compareTo(newest) > 0) {
                    newest = ts;
                }
                if (!isOlder(entry, cutoff) && (oldestKept == null || ts.compareTo(oldestKept) < 0)) {
                    oldestKept = ts;
                }
            }
            // The history floor moves BEFORE anything is deleted: a change stream opened meanwhile is refused
            // rather than silently missing the entries being removed.
            history.raiseFloor(oldestKept != null ? oldestKept : newest);
            int removed = oplog.deleteDocuments(new Document("wall", new Document("$lt", cutoff)), 0);
            if (oplog.count() == 0) {
                oplog.addDocument(noopEntry(newest, "gametel-mongo: oplog trimmed to its newest point"));
            }
            if (removed > 0) {
                System.out.println("gametel-mongo: trimmed " + removed + " oplog entries older than "
                    + kept.toSeconds() + " s (window " + window.toMinutes() + " min, at most "
                    + OPLOG_MAX_ENTRIES + " entries); history now starts at " + history.floor());
            }
        } catch (RuntimeException e) {
            System.err.println("gametel-mongo: oplog trim failed: " + e);
        }
    }

    private static boolean isOlder(Document entry, Instant cutoff) {
        Object wall = entry.get("wall");
        return wall instanceof Instant && ((Instant) wall).isBefore(cutoff);
    }

    private static long countNewer(List<Document> entries, Instant cutoff) {
        return entries.stream().filter(entry -> !isOlder(entry, cutoff)).count();
    }

    // A no-op oplog entry, as a real server writes one when it becomes primary. Its namespace is in database
    // "local", which no change stream watches.
    static Document noopEntry(BsonTimestamp ts, String message) {
        return new Document("ts", ts).append("t", 1L).append("h", 0L).append("v", 2L).append("op", "n")
            .append("ns", "local.$gametel").append("o", new Document("msg", message)).append("wall", Instant.now());
    }

    // Real MongoDB refuses to resume a change stream from a point older than its oplog's oldest entry
    // (ChangeStreamHistoryLost, code 286): changes after that point may be gone, and a silent "from now" would
    // lose them. The library resumes from any token as if nothing were missing, and its oplog is in memory, so
    // after a server restart every saved token pointed into a history that no longer exists. This oplog keeps
    // a floor: every change after it is in the oplog. It starts at the server's start (a no-op entry) and
    // rises when entries are trimmed. A resume token or start time below the floor is refused with 286.
    static final class HistoryCheckingOplog implements Oplog {
        static final int CHANGE_STREAM_HISTORY_LOST = 286;
        private final Oplog delegate;
        private final AtomicLong floor;

        HistoryCheckingOplog(Oplog delegate, BsonTimestamp start) {
            this.delegate = delegate;
            this.floor = new AtomicLong(start.getValue());
        }

        void raiseFloor(BsonTimestamp ts) {
            floor.accumulateAndGet(ts.getValue(), Math::max);
        }

        BsonTimestamp floor() {
            return new BsonTimestamp(floor.get());
        }

        @Override
        public void handleInsert(String namespace, List<Document> documents) {
            delegate.handleInsert(namespace, documents);
        }

        @Override
        public void handleUpdate(String namespace, Document selector, Document query, List<Object> modifiedIds) {
            delegate.handleUpdate(namespace, selector, query, modifiedIds);
        }

        @Override
        public void handleDelete(String namespace, Document query, List<Object> deletedIds) {
            delegate.handleDelete(namespace, query, deletedIds);
        }

        @Override
        public void handleDropCollection(String namespace) {
            delegate.handleDropCollection(namespace);
        }

        @Override
        public Cursor createCursor(Document changeStream, String namespace, Aggregation aggregation) {
            Long point = resumePoint(changeStream);
            if (point != null && Long.compareUnsigned(point, floor.get()) < 0) {
                throw new MongoServerError(CHANGE_STREAM_HISTORY_LOST, "ChangeStreamHistoryLost",
                    "Resume of change stream was not possible, as the resume point may no longer be in the oplog. "
                        + "(resume point " + new BsonTimestamp(point) + ", oldest oplog entry " + floor() + ")");
            }
            return delegate.createCursor(changeStream, namespace, aggregation);
        }

        // The timestamp a change stream asks to start after (token) or at (operation time); null when it starts
        // now, or when the token is malformed (the library then answers with its own error).
        private static Long resumePoint(Document changeStream) {
            for (String key : List.of("startAfter", "resumeAfter")) {
                Object token = changeStream.get(key);
                if (token instanceof Document && ((Document) token).get("_data") instanceof String) {
                    try {
                        return Long.parseUnsignedLong((String) ((Document) token).get("_data"), 16);
                    } catch (NumberFormatException e) {
                        return null;
                    }
                }
            }
            Object time = changeStream.get("startAtOperationTime");
            return time instanceof BsonTimestamp ? ((BsonTimestamp) time).getValue() : null;
        }
    }

    // The library uses an index only when a query names exactly the index's fields, so a filter such as
    // {_id: k, _offset: {$lt: n}} (gametel's fenced upsert) scans the whole collection and every write gets
    // slower as the collection grows. Real MongoDB answers it from the _id index. This collection does the
    // same: when the filter has an _id equality next to other conditions, the candidates come from the
    // _id index and the full filter is still matched against each of them.
    static final class IdIndexedCollection extends H2Collection {
        private static final Field INDEXES;

        static {
            try {
                INDEXES = AbstractMongoCollection.class.getDeclaredField("indexes");
                INDEXES.setAccessible(true);
            } catch (NoSuchFieldException e) {
                throw new IllegalStateException("mongo-java-server changed: no AbstractMongoCollection.indexes", e);
            }
        }

        IdIndexedCollection(MongoDatabase database, String name, CollectionOptions options,
                            MVMap<Object, Document> dataMap, MVMap<String, Object> metaMap, CursorRegistry cursors) {
            super(database, name, options, dataMap, metaMap, cursors);
        }

        @SuppressWarnings("unchecked")
        private List<Index<Object>> indexes() {
            try {
                return (List<Index<Object>>) INDEXES.get(this);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }

        private static boolean isPlainValue(Object value) {
            return value != null && !(value instanceof Document) && !(value instanceof Collection)
                && !(value instanceof Pattern) && !BsonRegularExpression.isRegularExpression(value);
        }

        // Real MongoDB never returns half of an update. The library returns the stored Document objects themselves and
        // its updates change them in place, field by field; the reply is encoded after the collection's lock is
        // released, so a reader could see some fields before and some after a concurrent update (seen here: a merge
        // read a new `_rev` next to an old part). Reads therefore return deep copies taken under the collection's
        // lock, for the first batch and for what a cursor keeps for later batches.
        @Override
        public synchronized QueryResult handleQuery(QueryParameters parameters) {
            QueryResult result = super.handleQuery(parameters);
            List<Document> copies = new ArrayList<>();
            for (Document document : result) {
                copies.add(document.cloneDeeply());
            }
            return new QueryResult(copies, result.getCursorId());
        }

        @Override
        protected Cursor createCursor(List<Document> remaining) {
            List<Document> copies = new ArrayList<>(remaining.size());
            for (Document document : remaining) {
                copies.add(document.cloneDeeply());
            }
            return super.createCursor(copies);
        }

        @Override
        public synchronized Document findAndModify(Document query) {
            return super.findAndModify(query).cloneDeeply();
        }

        @Override
        protected QueryResult queryDocuments(Document query, Document orderBy, int numberToSkip, int limit,
                                             int batchSize, Document fieldSelector) {
            Object id = query.get("_id");
            if (query.size() > 1 && isPlainValue(id)) {
                Document idOnly = new Document("_id", id);
                for (Index<Object> index : indexes()) {
                    if (index.canHandle(idOnly)) {
                        return matchDocuments(query, index.getPositions(idOnly), orderBy, numberToSkip, limit,
                            batchSize, fieldSelector);
                    }
                }
            }
            return super.queryDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
        }
    }

    static final class IdIndexedDatabase extends H2Database {
        // H2Database's constructor opens existing collections before a subclass field could be set.
        static volatile MVStore store;

        IdIndexedDatabase(String name, MVStore mvStore, CursorRegistry cursors) {
            super(name, mvStore, cursors);
        }

        @Override
        protected MongoCollection<Object> openOrCreateCollection(String name, CollectionOptions options) {
            String fullName = getFullCollectionNamespace(name);
            MVMap<Object, Document> dataMap = store.openMap("databases." + fullName);
            MVMap<String, Object> metaMap = store.openMap("meta." + fullName);
            return new IdIndexedCollection(this, name, options, dataMap, metaMap, cursorRegistry);
        }
    }

    static final class IdIndexedBackend extends H2Backend {
        IdIndexedBackend(MVStore mvStore) {
            super(mvStore);
        }

        // The oplog lives in database "local". In the MVStore every oplog write, every change-stream poll and
        // every trim (de)serialises entries, which cost more than the writes they record; in memory they are
        // cheap. The price: a server restart starts a new oplog, so change-stream resume tokens saved before
        // it are gone, as they are on real MongoDB once the oplog rolls over; resuming from one is refused with
        // ChangeStreamHistoryLost (see HistoryCheckingOplog) and the source says so.
        HistoryCheckingOplog history;

        // The oplog starts with a no-op entry at the server's start: its history begins there.
        @Override
        protected Oplog createOplog() {
            Oplog oplog = super.createOplog();
            BsonTimestamp start = new BsonTimestamp(Instant.now(), 0);
            resolveDatabase("local").resolveCollection("oplog.rs", true)
                .addDocument(noopEntry(start, "gametel-mongo: new oplog (server started)"));
            history = new HistoryCheckingOplog(oplog, start);
            return history;
        }

        @Override
        protected MongoDatabase openOrCreateDatabase(String databaseName) {
            if (databaseName.equals("local")) {
                return new MemoryDatabase(databaseName, getCursorRegistry());
            }
            return new IdIndexedDatabase(databaseName, getMvStore(), getCursorRegistry());
        }
    }

    // MVStore keeps its values Java-serialised in pages; its default 16 MB page cache makes a busy server
    // deserialise the same pages over and over. 256 MB keeps a development data set in memory.
    static final int PAGE_CACHE_MB = 256;

    static IdIndexedBackend openBackend(String dataFile) {
        MVStore mvStore = new MVStore.Builder().fileName(dataFile).cacheSize(PAGE_CACHE_MB).open();
        // Data files written before the oplog moved to memory still hold database "local": drop it.
        for (String map : mvStore.getMapNames()) {
            if (map.startsWith("databases.local.") || map.startsWith("meta.local.") || map.startsWith("local.")) {
                mvStore.removeMap(map);
            }
        }
        IdIndexedDatabase.store = mvStore;
        return new IdIndexedBackend(mvStore);
    }

    public static void main(String[] args) {
        if (args.length != 4) {
            System.err.println("usage: GametelMongoServer <host> <port> <data file> <oplog minutes, 0 = keep all>");
            System.exit(2);
        }
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        String dataFile = args[2];
        long oplogMinutes = Long.parseLong(args[3]);

        IdIndexedBackend backend = openBackend(dataFile);
        backend.version(Reported.MONGO_4_2);
        MongoServer server = new MongoServer(backend);
        server.enableOplog();
        if (oplogMinutes > 0) {
            Duration window = Duration.ofMinutes(oplogMinutes);
            ScheduledExecutorService trimmer = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "gametel-oplog-trim");
                thread.setDaemon(true);
                return thread;
            });
            trimmer.scheduleWithFixedDelay(() -> trimOplog(backend, backend.history, window), 0, 5, TimeUnit.SECONDS);
        }
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
                + ", reporting MongoDB 4.2.0 (wire version 8), oplog window "
                + (oplogMinutes > 0 ? oplogMinutes + " min" : "unbounded"));
    }
}

declare module "kafkajs-snappy" {
  /** A KafkaJS compression codec factory (snappy, pure JS through snappyjs). */
  const codec: () => {
    compress(encoder: { buffer: Buffer }): Promise<Buffer>;
    decompress(buffer: Buffer): Promise<Buffer>;
  };
  export default codec;
}

package lakehouse.sample;

/**
 * Generates one source's landing lines day by day. Feeds are called for day 0, 1, 2, ... in order
 * and may keep state between days (ids, orders that can still change status).
 */
interface DailyFeed {
  SampleSource source();

  DayBatch land(int day);
}

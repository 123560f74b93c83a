import { Metrics } from './metrics';

describe('Metrics', () => {
  it("renders the outbox gauges per module as the relay last set them", async () => {
    const metrics = new Metrics();
    metrics.setOutboxPending('messages', 3);
    metrics.setOutboxRelayLag('messages', 1.5);
    metrics.setOutboxPending('chats', 0);
    metrics.setOutboxRelayLag('chats', -2); // a clock step back is no lag
    metrics.setOutboxPending('messages', 1);
    const { contentType, body } = await metrics.render();
    expect(contentType).toContain('text/plain');
    expect(body).toContain('chat_outbox_pending_events{module="messages"} 1\n');
    expect(body).toContain('chat_outbox_pending_events{module="chats"} 0\n');
    expect(body).toContain('chat_outbox_relay_lag_seconds{module="messages"} 1.5\n');
    expect(body).toContain('chat_outbox_relay_lag_seconds{module="chats"} 0\n');
  });

  it('reads the connected sockets when scraped, and keeps two instances apart', async () => {
    const one = new Metrics();
    const two = new Metrics();
    let connected = 2;
    one.countConnectedSocketsWith(() => connected);
    connected = 5;
    one.messageSent();
    expect((await one.render()).body).toContain('chat_connected_sockets 5\n');
    expect((await one.render()).body).toContain('chat_messages_sent_total 1\n');
    expect((await two.render()).body).toContain('chat_messages_sent_total 0\n');
    expect((await two.render()).body).toContain('chat_connected_sockets 0\n');
  });

  it('ignores a latency that is not a number (a message without a valid createdAt)', async () => {
    const metrics = new Metrics();
    metrics.observeDeliveryLatency(Number.NaN);
    metrics.observeDeliveryLatency(0.02);
    expect((await metrics.render()).body).toContain('chat_message_delivery_latency_seconds_count 1\n');
  });
});

#!/usr/bin/env python3
"""Writes dashboards/esp-router.json, the Grafana dashboard provisioned by docker/compose.yaml.

Kept as code so panels stay consistent (one datasource, one grid) and a metric rename is one edit:
  python3 docker/grafana/make_dashboard.py
"""
import json
import pathlib

DS = {"type": "prometheus", "uid": "prometheus"}
panels = []
y = 0


def row(title):
    global y
    panels.append({"type": "row", "title": title, "collapsed": False, "gridPos": {"h": 1, "w": 24, "x": 0, "y": y},
                   "id": len(panels) + 1, "panels": []})
    y += 1


def ts(title, exprs, unit="short", w=8, h=8, x=0, stack=False):
    panels.append({
        "type": "timeseries", "title": title, "id": len(panels) + 1, "datasource": DS,
        "gridPos": {"h": h, "w": w, "x": x, "y": y},
        "fieldConfig": {"defaults": {"unit": unit, "custom": {"stacking": {"mode": "normal" if stack else "none"},
                                                             "fillOpacity": 10}}, "overrides": []},
        "options": {"legend": {"displayMode": "list", "placement": "bottom"}, "tooltip": {"mode": "multi"}},
        "targets": [{"datasource": DS, "expr": e, "legendFormat": l, "refId": chr(65 + i)}
                    for i, (e, l) in enumerate(exprs)],
    })


def line(*specs):
    """Places panels side by side on one line of the grid, 24 units wide."""
    global y
    x = 0
    for title, exprs, unit in specs:
        w = 24 // len(specs)
        ts(title, exprs, unit, w=w, x=x)
        x += w
    y += 8


def p99(metric, by):
    return f"histogram_quantile(0.99, sum by (le, {by}) (rate({metric}_bucket[5m])))"


row("Send API")
line(("Requests by route and status", [("sum by (route, code) (rate(vertx_http_server_requests_total[1m]))",
                                        "{{route}} {{code}}")], "reqps"),
     ("p99 response time by route", [(p99("vertx_http_server_response_time_seconds", "route"), "{{route}}")], "s"),
     ("Messages accepted / rejected", [
         ("sum by (channel, priority) (rate(esp_ingress_messages_accepted_total[1m]))", "accepted {{channel}} {{priority}}"),
         ("sum by (code) (rate(esp_ingress_recipients_rejected_total[1m]))", "rejected {{code}}")], "ops"))

def rate_of(event_type, over):
    """Per provider: events of one type per recipient of `over` (sent, or delivered), over 15 minutes."""
    num = f"sum by (provider) (increase(esp_analytics_events_total{{type=\"{event_type}\"}}[15m]))"
    if over == "sent":
        den = "sum by (provider) (increase(esp_provider_recipients_total{outcome=\"accepted\"}[15m]))"
    else:
        den = "sum by (provider) (increase(esp_analytics_events_total{type=\"delivered\"}[15m]))"
    return f"{num} / ({den} > 0)"


row("Providers")
line(("Weight for the next send (of 1000 per channel)", [("max by (channel, provider) (esp_routing_weight_points)", "{{channel}} {{provider}}")], "short"),
     ("Recipients sent per second", [("sum by (provider) (rate(esp_provider_recipients_total[1m]))", "{{provider}}")],
      "ops"),
     ("Provider calls by outcome", [("sum by (provider, outcome) (rate(esp_provider_requests_total[1m]))",
                                     "{{provider}} {{outcome}}")], "reqps"))
line(("p99 provider call latency", [(p99("esp_provider_request_duration_seconds", "provider"), "{{provider}}")], "s"),
     ("Circuit breaker (0 closed, 1 half-open, 2 open)", [("max by (provider) (esp_provider_breaker_state)",
                                                           "{{provider}}")], "short"),
     ("Rate limit, current (calls/s)", [("max by (provider) (esp_provider_rate_limit_per_second)", "{{provider}}")],
      "short"))

row("Weights and rates over time")
# Weights move with what the providers report, per recipient-domain group for email; the gate says
# why a provider has none (2 cut: a rate over its limit) or only a probe (1 probing). The reason of
# each change is in GET /v1/stats/weights and the dashboard's weights chart.
line(("Email weights over time, per provider and domain group",
      [("max by (domain_group, provider) (esp_routing_weight_points{channel=\"email\"})",
        "{{provider}} {{domain_group}}")], "short"),
     ("Hard-limit gate per domain group (0 open, 1 probing, 2 cut)",
      [("max by (channel, domain_group, provider) (esp_routing_gate_state)",
        "{{provider}} {{channel}} {{domain_group}}")], "short"),
     ("WhatsApp and Telegram weights over time",
      [("max by (channel, provider) (esp_routing_weight_points{channel!=\"email\"})", "{{channel}} {{provider}}")],
      "short"),
     ("Delivered per recipient sent (15 min)", [(rate_of("delivered", "sent"), "{{provider}}")], "percentunit"))
line(("Bounced per recipient sent (15 min)", [(rate_of("bounced", "sent"), "{{provider}}")], "percentunit"),
     ("Complaints per delivered (15 min)", [(rate_of("complained", "delivered"), "{{provider}}")], "percentunit"),
     ("Opened per delivered (15 min)", [(rate_of("opened", "delivered"), "{{provider}}")], "percentunit"))

row("Pipeline")
line(("Router consumer lag by lane", [("sum by (lane) (esp_router_consumer_lag_records)", "{{lane}}")], "short"),
     ("Retries and dead letters", [("sum(rate(esp_router_retries_total[5m]))", "retried"),
                                   ("sum(rate(esp_dlq_messages_total[5m]))", "dead-lettered")], "ops"),
     # Every router process counts the same table: max, not sum.
     ("Dead letters waiting (not requeued)", [("max(esp_dlq_depth_messages)", "DLQ depth")], "short"),
     ("p99 limiter wait", [(p99("esp_provider_limiter_wait_seconds", "provider"), "{{provider}}")], "s"))

row("Webhooks and delivery events")
line(("Webhook requests by result", [("sum by (provider, result) (rate(esp_webhook_requests_total[1m]))",
                                      "{{provider}} {{result}}")], "reqps"),
     ("Delivery events by type", [("sum by (type) (rate(esp_analytics_events_total[5m]))", "{{type}}")], "ops"),
     ("Events for unknown messages; analytics lag", [
         ("sum(rate(esp_analytics_unmatched_events_total[5m]))", "unknown-message events"),
         ("sum(esp_analytics_consumer_lag_records)", "analytics lag (records)")], "short"))

row("JVM")
line(("Heap used", [("sum by (id) (jvm_memory_used_bytes{area=\"heap\"})", "{{id}}")], "bytes"),
     ("GC pause time", [("sum(rate(jvm_gc_pause_seconds_sum[1m]))", "seconds paused per second")], "s"),
     ("CPU", [("process_cpu_usage", "process"), ("system_cpu_usage", "system")], "percentunit"))

dashboard = {
    "uid": "esp-router", "title": "esp-router", "tags": ["esp-router"], "timezone": "utc", "schemaVersion": 39,
    "version": 1, "refresh": "10s", "time": {"from": "now-1h", "to": "now"}, "editable": True, "panels": panels,
    "templating": {"list": []},
    # A gate that moved (cut, probing, reopened) marks every panel's time axis.
    "annotations": {"list": [{"name": "gate changes", "datasource": DS, "enable": True, "iconColor": "red",
                              "expr": "changes(max by (channel, domain_group, provider) (esp_routing_gate_state)[1m:15s]) > 0",
                              "step": "15s", "titleFormat": "gate {{provider}} {{channel}}/{{domain_group}}",
                              "useValueForTime": False}]},
}
out = pathlib.Path(__file__).parent / "dashboards" / "esp-router.json"
out.parent.mkdir(parents=True, exist_ok=True)
out.write_text(json.dumps(dashboard, indent=2) + "\n")
print(f"wrote {out} with {len(panels)} panels")

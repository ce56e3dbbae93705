// The live view's charts: reads /console/live/data every 2 s and draws rates (per second) from the
// differences between successive counter readings, over the last 5 minutes, with uPlot.
(function () {
  'use strict';
  const POLL_MS = 2000;
  const POINTS_MAX = 150;
  const COLOURS = ['#1b7f3b', '#b3261e', '#8a6d00', '#1f5fbf', '#6b3fa0', '#00796b', '#c2185b', '#5d4037'];

  function chart(element, title, labels) {
    const series = [{}].concat(labels.map((label, i) => ({label: label, stroke: COLOURS[i % COLOURS.length], width: 2})));
    const data = [[]].concat(labels.map(() => []));
    const plot = new uPlot({title: title, width: Math.max(320, element.clientWidth || 600), height: 220, series: series,
      scales: {x: {time: true}}, axes: [{}, {label: 'per second'}]}, data, element);
    return {plot: plot, data: data, labels: labels};
  }

  function push(c, atSeconds, values) {
    c.data[0].push(atSeconds);
    c.labels.forEach((label, i) => c.data[i + 1].push(values[label] || 0));
    if (c.data[0].length > POINTS_MAX) {
      c.data.forEach(column => column.shift());
    }
    c.plot.setData(c.data);
  }

  function rates(now, before, seconds) {
    const out = {};
    Object.keys(now).forEach(k => { out[k] = Math.max(0, (now[k] - (before[k] || 0)) / seconds); });
    return out;
  }

  let events;
  let decisions;
  let refusals;
  let previous = null;

  async function poll() {
    let reading;
    try {
      const answer = await fetch('/console/live/data', {credentials: 'same-origin', headers: {'Accept': 'application/json'}});
      if (!answer.ok) {
        return;
      }
      reading = await answer.json();
    } catch (e) {
      return;
    }
    document.getElementById('messages-received').textContent = reading.messages_received;
    document.getElementById('devices-seen').textContent = reading.devices_seen;
    if (!refusals || Object.keys(reading.refusals).some(k => !refusals.labels.includes(k))) {
      const element = document.getElementById('chart-refusals');
      element.replaceChildren();
      const labels = Object.keys(reading.refusals).sort();
      refusals = chart(element, 'Refusals by door and reason', labels.length ? labels : ['none']);
    }
    if (previous !== null) {
      const seconds = Math.max(0.001, (reading.at_ms - previous.at_ms) / 1000);
      const at = reading.at_ms / 1000;
      push(events, at, {'messages/s': (reading.messages_received - previous.messages_received) / seconds});
      push(decisions, at, rates(reading.decisions, previous.decisions, seconds));
      push(refusals, at, rates(reading.refusals, previous.refusals, seconds));
    }
    previous = reading;
  }

  document.addEventListener('DOMContentLoaded', () => {
    if (typeof uPlot === 'undefined') {
      return;
    }
    events = chart(document.getElementById('chart-events'), 'Device messages (events)', ['messages/s']);
    decisions = chart(document.getElementById('chart-decisions'), 'Decisions by outcome', ['APPROVED', 'DECLINED', 'ASK_USER']);
    poll();
    setInterval(poll, POLL_MS);
  });
})();

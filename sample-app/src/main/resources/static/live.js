// The sample's live page: its observers (GET /subscriptions, the eventlistener endpoint and health)
// and the events as they are handled (GET /events/stream, Server-Sent Events). No build step.
'use strict';

const observerType = 'Subscription';

function cell(row, text, className) {
	const td = row.insertCell();
	td.textContent = text;
	if (className) {
		td.className = className;
	}
	return td;
}

async function json(path) {
	const response = await fetch(path, { headers: { Accept: 'application/json' } });
	return response.ok ? response.json() : null;
}

async function refreshObservers() {
	const [subscriptions, listener, health] = await Promise.all([
		json('/subscriptions'), json('/actuator/eventlistener'), json('/actuator/health')]);
	document.getElementById('listener-state').textContent = listener ? listener.state : 'unknown';
	const registered = new Map();
	const type = listener && listener.observers[observerType];
	(type ? type.observers : []).forEach((observer) => registered.set(observer.id, observer));
	const listenerHealth = health && health.components && health.components.eventListener;
	const unconsumed = JSON.stringify((listenerHealth && listenerHealth.details.unconsumedObservers) || {});
	const body = document.querySelector('#observers tbody');
	body.replaceChildren();
	(subscriptions || []).forEach((subscription) => {
		const observer = registered.get(String(subscription.id));
		const row = body.insertRow();
		row.dataset.id = subscription.id;
		cell(row, subscription.id);
		cell(row, subscription.name, 'name');
		cell(row, (observer ? observer.routingKeys : subscription.routingKeys).join(', '), 'key');
		cell(row, subscription.enabled ? 'yes' : 'no');
		cell(row, observer ? observer.queue : '—', 'queue');
		cell(row, !observer ? 'not registered'
			: unconsumed.includes(observer.queue) ? 'waiting for a consumer' : 'consuming', 'consumer');
	});
}

let source = null;

function listen(keys) {
	if (source) {
		source.close();
	}
	const status = document.getElementById('status');
	const events = document.getElementById('events');
	const query = keys.split(/[\s,]+/).filter((key) => key).map((key) => 'key=' + encodeURIComponent(key)).join('&');
	status.textContent = 'connecting…';
	source = new EventSource('/events/stream?' + query);
	source.addEventListener('subscribed', (message) => {
		status.textContent = 'listening on ' + JSON.parse(message.data).routingKeys.join(', ');
	});
	source.addEventListener('event', (message) => {
		const event = JSON.parse(message.data);
		const item = document.createElement('li');
		item.className = 'event';
		item.dataset.routingKey = event.routingKey;
		item.textContent = event.routingKey + '  ' + (event.occurredAt || '') + (event.userId ? '  user ' + event.userId : '');
		events.prepend(item);
	});
	for (const end of ['shutdown', 'overflow']) {
		source.addEventListener(end, (message) => {
			status.textContent = 'ended (' + end + '): ' + JSON.parse(message.data).reason;
			source.close();
		});
	}
	source.onerror = () => {
		if (source.readyState !== EventSource.CLOSED) {
			status.textContent = 'reconnecting…';
		}
	};
}

document.getElementById('listen').addEventListener('submit', (submit) => {
	submit.preventDefault();
	listen(document.getElementById('keys').value);
});

const initialKey = new URLSearchParams(window.location.search).get('key');
if (initialKey) {
	document.getElementById('keys').value = initialKey;
}
listen(document.getElementById('keys').value);
refreshObservers();
setInterval(refreshObservers, 1000);

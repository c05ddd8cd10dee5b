// The sample's live page: the listener (its state, error budget and dead letters), its observers with their
// queues and figures (GET /subscriptions, /live/observers, the eventlistener endpoints and health, every second)
// and the events as they are handled (GET /events/stream, Server-Sent Events). No build step; text only, never
// markup built from data.
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

function figure(value) {
	return value === null || value === undefined ? '—' : String(value);
}

async function json(path) {
	const response = await fetch(path, { headers: { Accept: 'application/json' } });
	return response.ok ? response.json() : null;
}

function showListener(listener, deadLetters) {
	document.getElementById('listener-state').textContent = listener ? listener.state : 'unknown';
	const budget = listener && listener.errorBudget;
	const errors = document.getElementById('error-budget');
	const meter = document.getElementById('error-budget-meter');
	errors.textContent = budget ? budget.errors + ' of ' + budget.limit : '—';
	errors.classList.toggle('exhausted', Boolean(budget && budget.exhausted));
	meter.max = budget ? budget.limit : 1;
	meter.value = budget ? budget.errors : 0;
	document.getElementById('error-budget-window').textContent = budget
		? 'errors per ' + budget.interval.replace(/^PT/, '').toLowerCase() + (budget.exhausted ? ', exhausted: the listener stopped' : '') : '';
	document.getElementById('dead-letters').textContent = deadLetters ? figure(deadLetters.waiting) : '—';
}

async function refreshObservers() {
	const [subscriptions, listener, health, figures, deadLetters] = await Promise.all([
		json('/subscriptions'), json('/actuator/eventlistener'), json('/actuator/health'), json('/live/observers'),
		json('/actuator/eventlistenerdeadletters')]);
	showListener(listener, deadLetters);
	const registered = new Map();
	const type = listener && listener.observers[observerType];
	(type ? type.observers : []).forEach((observer) => registered.set(observer.id, observer));
	const byId = new Map((figures || []).map((observer) => [observer.id, observer]));
	const listenerHealth = health && health.components && health.components.eventListener;
	const unconsumed = JSON.stringify((listenerHealth && listenerHealth.details.unconsumedObservers) || {});
	const body = document.querySelector('#observers tbody');
	body.replaceChildren();
	(subscriptions || []).forEach((subscription) => {
		const observer = registered.get(String(subscription.id));
		const counts = byId.get(subscription.id) || {};
		const row = body.insertRow();
		row.dataset.id = subscription.id;
		cell(row, subscription.id);
		cell(row, subscription.name, 'name');
		cell(row, (observer ? observer.routingKeys : subscription.routingKeys).join(', '), 'key');
		cell(row, subscription.enabled ? 'yes' : 'no');
		cell(row, observer ? observer.queue : '—', 'queue');
		cell(row, !observer ? 'not registered'
			: unconsumed.includes(observer.queue) ? 'waiting for a consumer' : 'consuming', 'consumer');
		cell(row, figure(counts.messages), 'number messages');
		cell(row, figure(counts.consumers), 'number consumers');
		cell(row, counts.eventsPerSecond === undefined ? '—' : counts.eventsPerSecond.toFixed(1), 'number rate');
		cell(row, figure(counts.handled), 'number handled');
		cell(row, figure(counts.failures), 'number failures' + (counts.failures ? ' failing' : ''));
	});
}

async function replay() {
	const button = document.getElementById('replay');
	const result = document.getElementById('replay-result');
	button.disabled = true;
	result.textContent = 'replaying…';
	try {
		const response = await fetch('/actuator/eventlistenerdeadletters', {
			method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
		const answer = response.ok ? await response.json() : null;
		result.textContent = answer
			? 'moved ' + answer.moved + ', skipped ' + answer.skipped + ', failed ' + answer.failed
				+ (answer.interruption ? ' (' + answer.interruption + ')' : '')
			: 'replay refused: HTTP ' + response.status;
	}
	catch (failure) {
		result.textContent = 'replay failed: ' + failure.message;
	}
	finally {
		button.disabled = false;
		refreshObservers();
	}
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

document.getElementById('replay').addEventListener('click', replay);
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

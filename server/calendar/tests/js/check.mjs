// Reads .ics files with Mozilla's ical.js (the parser inside Thunderbird) and prints, as JSON,
// what it understood: calendar properties and every event, with start/end instants computed
// from the file's own VTIMEZONE. tests/icaljs.rs compares that with what was rendered.
//
// Also evaluates each distinct VTIMEZONE against Node's ICU time zone data (a third, independent
// source next to chrono-tz) on both sides of every transition, 2020–2045.
//
// Usage: node check.mjs file.ics...   Exit code 1 if a file does not parse.
import { readFileSync } from 'node:fs';
import ICAL from 'ical.js';

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node check.mjs file.ics...');
  process.exit(2);
}

const PARIS = 'Europe/Paris';

// Paris wall-clock time of an instant according to ICU, as { local: "YYYY-MM-DDTHH:MM:SS" }.
const icuParts = new Intl.DateTimeFormat('en-US', {
  timeZone: PARIS,
  hourCycle: 'h23',
  year: 'numeric', month: '2-digit', day: '2-digit',
  hour: '2-digit', minute: '2-digit', second: '2-digit',
});

function icu(ms) {
  const p = Object.fromEntries(icuParts.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return { local: `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}` };
}

// What clients do with our VTIMEZONE: turn a Paris wall-clock time into an instant. Checked
// every day at 01:59:59, 03:00:00 and 12:00:00 local time: the last second before and the first
// after each change (EU changes happen between 02:00 and 03:00 local), and mid-day. Those times
// are never ambiguous, so ICU must show the instant ical.js computed as that same wall time.
// (We never write an ambiguous wall time: see push_paris_date_time.)
function checkZoneAgainstIcu(zone) {
  const mismatches = [];
  let checked = 0;
  for (let day = Date.UTC(2020, 0, 1); day < Date.UTC(2046, 0, 1); day += 86_400_000) {
    const d = new Date(day);
    for (const [hour, minute, second] of [[1, 59, 59], [3, 0, 0], [12, 0, 0]]) {
      const time = new ICAL.Time({
        year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(),
        hour, minute, second, isDate: false,
      }, zone);
      const local = time.toString();
      const utcMs = time.toUnixTime() * 1000;
      const back = icu(utcMs);
      checked += 1;
      if (back.local !== local && mismatches.length < 5) {
        mismatches.push({ local, icaljsUtc: new Date(utcMs).toISOString(), icuLocalOfThatInstant: back.local });
      }
    }
  }
  return { checked, mismatches };
}

function timeJson(time, registered) {
  const utc = time.toJSDate().toISOString();
  const zone = time.zone?.tzid ?? null;
  return {
    utc,
    zone,
    // true only if the rules in use are this file's own VTIMEZONE (ical.js has no built-in
    // zones; an unknown TZID would become floating time)
    zoneFromFile: zone === PARIS
      ? time.zone.component?.toString() === registered.get(PARIS)?.component?.toString()
      : null,
    local: time.toString(),
    parisLocalIcu: icu(time.toJSDate().getTime()).local,
  };
}

function textValue(component, name) {
  const value = component.getFirstPropertyValue(name);
  return value === null || value === undefined ? null : String(value);
}

const zoneChecks = new Map(); // VTIMEZONE text -> result, to evaluate each distinct one once
const results = [];
let failed = false;

for (const file of files) {
  try {
    const vcalendar = new ICAL.Component(ICAL.parse(readFileSync(file, 'utf8')));
    if (vcalendar.name !== 'vcalendar') throw new Error(`root is ${vcalendar.name}`);

    // Only the file's own VTIMEZONEs: ical.js has no built-in zones, so an unknown TZID would
    // silently become floating time, which timeJson reports as zone "floating".
    ICAL.TimezoneService.reset();
    const registered = new Map();
    const zoneResults = [];
    for (const vtimezone of vcalendar.getAllSubcomponents('vtimezone')) {
      const zone = new ICAL.Timezone(vtimezone);
      ICAL.TimezoneService.register(zone);
      registered.set(zone.tzid, zone);
      const key = vtimezone.toString();
      if (!zoneChecks.has(key)) zoneChecks.set(key, checkZoneAgainstIcu(zone));
      zoneResults.push({ tzid: zone.tzid, ...zoneChecks.get(key) });
    }

    const events = vcalendar.getAllSubcomponents('vevent').map((vevent) => {
      const event = new ICAL.Event(vevent);
      const organizer = vevent.getFirstProperty('organizer');
      return {
        uid: event.uid,
        sequence: event.sequence,
        status: textValue(vevent, 'status'),
        summary: event.summary ?? null,
        location: event.location ?? null,
        description: event.description ?? null,
        url: textValue(vevent, 'url'),
        categories: vevent.getAllProperties('categories').flatMap((p) => p.getValues()),
        dtstamp: vevent.getFirstPropertyValue('dtstamp').toJSDate().toISOString(),
        start: timeJson(event.startDate, registered),
        end: vevent.hasProperty('dtend') ? timeJson(event.endDate, registered) : null,
        organizer: organizer ? organizer.getFirstValue() : null,
        organizerCn: organizer ? organizer.getParameter('cn') ?? null : null,
      };
    });

    results.push({
      file,
      method: textValue(vcalendar, 'method'),
      name: textValue(vcalendar, 'name'),
      xWrCalname: textValue(vcalendar, 'x-wr-calname'),
      refreshInterval: textValue(vcalendar, 'refresh-interval'),
      publishedTtl: textValue(vcalendar, 'x-published-ttl'),
      timezones: zoneResults,
      events,
    });
  } catch (error) {
    failed = true;
    results.push({ file, error: String(error?.stack ?? error) });
  }
}

// exitCode, not process.exit(): exiting at once would cut a large write to a pipe short.
process.exitCode = failed ? 1 : 0;
process.stdout.write(JSON.stringify(results, null, 1));

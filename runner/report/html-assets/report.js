// Client side of index.html: filters, lazy timelines, copy buttons, printing. No network, no eval.
(function () {
  'use strict';
  var scenarios = Array.prototype.slice.call(document.querySelectorAll('details.scenario'));
  var chapters = Array.prototype.slice.call(document.querySelectorAll('section.chapter'));
  var failedOnly = document.getElementById('filter-failed');
  var level = document.getElementById('filter-level');
  var chapter = document.getElementById('filter-chapter');
  var text = document.getElementById('filter-text');
  var status = document.getElementById('filter-status');

  // The timeline of a scenario lives in a <template> (inert, never laid out) until first opened.
  function materialize(scenario) {
    var slot = scenario.querySelector('.timeline-slot');
    if (!slot || slot.getAttribute('data-ready') === 'yes') return;
    var template = document.getElementById(slot.getAttribute('data-template'));
    if (template) slot.replaceChildren(template.content.cloneNode(true));
    slot.setAttribute('data-ready', 'yes');
  }

  function matches(scenario) {
    if (failedOnly && failedOnly.checked && scenario.getAttribute('data-outcome') !== 'failed') return false;
    if (level && level.value && scenario.getAttribute('data-level') !== level.value) return false;
    if (chapter && chapter.value && scenario.getAttribute('data-chapter') !== chapter.value) return false;
    var needle = text ? text.value.trim().toLowerCase() : '';
    return !needle || scenario.getAttribute('data-id').toLowerCase().indexOf(needle) !== -1;
  }

  function applyFilters() {
    var shown = 0;
    scenarios.forEach(function (scenario) {
      var visible = matches(scenario);
      scenario.hidden = !visible;
      if (visible) shown++;
    });
    chapters.forEach(function (section) {
      section.hidden = !section.querySelector('details.scenario:not([hidden])');
    });
    if (status) status.textContent = 'Showing ' + shown + ' of ' + scenarios.length + ' scenarios.';
  }

  [failedOnly, level, chapter].forEach(function (control) {
    if (control) control.addEventListener('change', applyFilters);
  });
  if (text) text.addEventListener('input', applyFilters);
  var form = document.getElementById('filters');
  if (form) form.addEventListener('submit', function (event) { event.preventDefault(); });

  // 'toggle' does not bubble: listen in the capture phase.
  document.addEventListener('toggle', function (event) {
    var target = event.target;
    if (target.classList && target.classList.contains('scenario') && target.open) materialize(target);
  }, true);

  function setAll(open) {
    scenarios.forEach(function (scenario) {
      if (open && scenario.hidden) return;
      if (open) materialize(scenario);
      scenario.open = open;
    });
  }
  var expand = document.getElementById('expand-all');
  var collapse = document.getElementById('collapse-all');
  if (expand) expand.addEventListener('click', function () { setAll(true); });
  if (collapse) collapse.addEventListener('click', function () { setAll(false); });

  function copyText(value) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(value);
    return new Promise(function (resolve, reject) {
      var area = document.createElement('textarea');
      area.value = value;
      area.setAttribute('readonly', '');
      area.style.position = 'fixed';
      area.style.opacity = '0';
      document.body.appendChild(area);
      area.select();
      var ok = document.execCommand('copy');
      document.body.removeChild(area);
      if (ok) resolve(); else reject(new Error('copy refused'));
    });
  }
  document.addEventListener('click', function (event) {
    var button = event.target.closest ? event.target.closest('button.copy') : null;
    if (!button) return;
    var source = document.getElementById(button.getAttribute('data-copy-target'));
    if (!source) return;
    copyText(source.textContent).then(function () {
      button.textContent = 'Copied';
    }, function () {
      button.textContent = 'Select and copy by hand';
    });
    setTimeout(function () { button.textContent = 'Copy'; }, 2000);
  });

  // A link to #scenario-… opens that scenario.
  function openFromHash() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id ? document.getElementById(id) : null;
    if (target && target.classList.contains('scenario')) {
      target.hidden = false;
      materialize(target);
      target.open = true;
    }
  }
  window.addEventListener('hashchange', openFromHash);

  // Printing shows every scenario with its timeline.
  window.addEventListener('beforeprint', function () {
    scenarios.forEach(function (scenario) { materialize(scenario); scenario.open = true; });
  });

  applyFilters();
  openFromHash();
})();

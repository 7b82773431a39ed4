// Suggestions while typing in the knowledge base's search box (ARIA 1.2 combobox with a listbox).
// Progressive enhancement only: without this file the search form simply submits.
(() => {
  const DEBOUNCE_MS = 200;

  function enhance(form) {
    const input = form.querySelector('input[data-combobox]');
    const listbox = input && document.getElementById(input.dataset.combobox);
    const status = input && document.getElementById(`${input.id}-status`);
    const endpoint = form.dataset.suggest;
    if (!input || !listbox || !endpoint || input.dataset.enhanced) return;
    input.dataset.enhanced = 'true';
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');
    input.setAttribute('aria-controls', listbox.id);
    input.setAttribute('autocomplete', 'off');

    let options = [];
    let active = -1;
    let timer;
    let controller;
    let lastQuery = '';

    const announce = (text) => {
      if (status) status.textContent = text;
    };

    const setActive = (index) => {
      options.forEach((option, i) => {
        option.setAttribute('aria-selected', String(i === index));
      });
      active = index;
      if (index >= 0 && options[index]) {
        input.setAttribute('aria-activedescendant', options[index].id);
        options[index].scrollIntoView({ block: 'nearest' });
      } else {
        input.removeAttribute('aria-activedescendant');
      }
    };

    const close = () => {
      listbox.hidden = true;
      input.setAttribute('aria-expanded', 'false');
      setActive(-1);
    };

    const open = () => {
      if (options.length === 0) return;
      listbox.hidden = false;
      input.setAttribute('aria-expanded', 'true');
    };

    const go = (option) => {
      window.location.assign(option.dataset.url);
    };

    const show = (answer) => {
      listbox.replaceChildren();
      options = answer.suggestions.map((suggestion, i) => {
        const option = document.createElement('li');
        option.id = `${listbox.id}-${i}`;
        option.setAttribute('role', 'option');
        option.setAttribute('aria-selected', 'false');
        option.dataset.url = suggestion.url;
        option.textContent = suggestion.title;
        // mousedown, not click: the input would lose focus (and close the list) first.
        option.addEventListener('mousedown', (event) => {
          event.preventDefault();
          go(option);
        });
        listbox.append(option);
        return option;
      });
      active = -1;
      announce(answer.status);
      if (options.length) open();
      else close();
    };

    const fetchSuggestions = async (query) => {
      controller?.abort();
      controller = new AbortController();
      try {
        const response = await fetch(`${endpoint}?${new URLSearchParams({ q: query })}`, { headers: { accept: 'application/json' }, signal: controller.signal });
        if (!response.ok) return;
        const answer = await response.json();
        // An answer to a query no longer in the box is stale.
        if (answer.query === input.value.trim()) show(answer);
      } catch (error) {
        if (error.name !== 'AbortError') close();
      }
    };

    input.addEventListener('input', () => {
      const query = input.value.trim();
      clearTimeout(timer);
      if (query === lastQuery) return;
      lastQuery = query;
      if (!query) {
        controller?.abort();
        options = [];
        listbox.replaceChildren();
        close();
        return;
      }
      timer = setTimeout(() => fetchSuggestions(query), DEBOUNCE_MS);
    });

    input.addEventListener('keydown', (event) => {
      const expanded = !listbox.hidden;
      switch (event.key) {
        case 'ArrowDown':
          if (options.length === 0) return;
          event.preventDefault();
          if (!expanded) open();
          setActive(active + 1 >= options.length ? 0 : active + 1);
          break;
        case 'ArrowUp':
          if (options.length === 0) return;
          event.preventDefault();
          if (!expanded) open();
          setActive(active <= 0 ? options.length - 1 : active - 1);
          break;
        case 'Enter':
          if (expanded && active >= 0 && options[active]) {
            event.preventDefault();
            go(options[active]);
          }
          break;
        case 'Escape':
          if (expanded) {
            event.preventDefault();
            close();
          } else if (input.value) {
            event.preventDefault();
            input.value = '';
            lastQuery = '';
            options = [];
            listbox.replaceChildren();
          }
          break;
        default:
          break;
      }
    });

    input.addEventListener('blur', () => close());
    input.addEventListener('focus', () => {
      if (input.value.trim() && options.length) open();
    });
  }

  const start = () => document.querySelectorAll('form[data-suggest]').forEach(enhance);
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();

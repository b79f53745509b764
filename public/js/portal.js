// Small progressive enhancements; every page works without this file.
document.addEventListener('DOMContentLoaded', function () {
  // Put focus on the first invalid field so keyboard and screen-reader users land on the problem.
  var invalid = document.querySelector('[aria-invalid="true"]');
  if (invalid) invalid.focus();

  // A table too wide for its container is shown one block per row, each cell under its column's
  // name (.table--stacked in portal.css), so no column is cut off on a narrow screen. The names
  // are copied from the header once; the fit is measured again when the window changes size.
  var tables = Array.prototype.slice.call(document.querySelectorAll('table.table'));
  tables.forEach(function (table) {
    if (!table.tHead || table.tHead.rows.length === 0) return;
    var names = Array.prototype.map.call(table.tHead.rows[0].cells, function (cell) { return cell.textContent.trim(); });
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        Array.prototype.forEach.call(row.cells, function (cell, i) {
          if (names[i]) cell.setAttribute('data-label', names[i]);
        });
      });
    });
  });
  function fitTables() {
    tables.forEach(function (table) { table.classList.remove('table--stacked'); });
    tables.filter(function (table) { return table.offsetWidth > table.parentElement.clientWidth; })
      .forEach(function (table) { table.classList.add('table--stacked'); });
  }
  fitTables();
  window.addEventListener('resize', fitTables);
});

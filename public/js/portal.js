// Small progressive enhancements; every page works without this file.
document.addEventListener('DOMContentLoaded', function () {
  // Put focus on the first invalid field so keyboard and screen-reader users land on the problem.
  var invalid = document.querySelector('[aria-invalid="true"]');
  if (invalid) invalid.focus();
});

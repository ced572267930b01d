// Slice scroller: mouse wheel, arrow keys or the slider move through the slices; the overlay and the
// window preset are re-requested from the server, which renders every slice as a PNG.
(function () {
  document.querySelectorAll('.stack').forEach(function (stack) {
    var base = stack.dataset.base;
    var count = parseInt(stack.dataset.slices, 10);
    var img = stack.querySelector('img');
    var slider = stack.querySelector('.slider');
    var overlay = stack.querySelector('.overlay');
    var win = stack.querySelector('.window');
    var position = stack.querySelector('.position');
    var index = parseInt(stack.dataset.start, 10);
    function show(i) {
      index = Math.max(0, Math.min(count - 1, i));
      slider.value = index;
      img.src = base + index + '.png?overlay=' + overlay.checked + '&window=' + win.value;
      position.textContent = (index + 1) + ' / ' + count;
    }
    img.addEventListener('wheel', function (e) { e.preventDefault(); show(index + (e.deltaY > 0 ? 1 : -1)); });
    img.addEventListener('keydown', function (e) {
      if (e.key === 'ArrowUp' || e.key === 'ArrowRight') { e.preventDefault(); show(index + 1); }
      if (e.key === 'ArrowDown' || e.key === 'ArrowLeft') { e.preventDefault(); show(index - 1); }
    });
    slider.addEventListener('input', function () { show(parseInt(slider.value, 10)); });
    overlay.addEventListener('change', function () { show(index); });
    win.addEventListener('change', function () { show(index); });
    position.textContent = (index + 1) + ' / ' + count;
  });
})();

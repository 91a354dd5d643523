// Fits a text to its box: the largest font size (between minPx and maxPx) at which the element's
// content does not overflow its own height. The box's height comes from the layout (CSS).

/** Binary search on the font size; a dozen layouts at most. */
export function fitText(node, { minPx, maxPx }) {
    let low = minPx;
    let high = maxPx;
    while (high - low > 0.5) {
        const middle = (low + high) / 2;
        node.style.fontSize = `${middle}px`;
        if (overflows(node)) {
            high = middle;
        } else {
            low = middle;
        }
    }
    node.style.fontSize = `${low}px`;
    node.dataset.fitted = String(!overflows(node));
}

function overflows(node) {
    return node.scrollHeight > node.clientHeight + 1 || node.scrollWidth > node.clientWidth + 1;
}

// One colour per post on the centre's map, by its place in name order, so a
// post keeps its colour as long as no post is added before it. Markers drawn
// as HTML take it as a class (post-colour-N in centre.css): the page's CSP
// allows no inline style attribute.
export const POST_PALETTE = ['#5fb3f0', '#f0a35f', '#8fd18f', '#d88fe0', '#f0e05f', '#5fe0d0', '#f07a7a', '#b0b0f0'];

export interface PostColour {
  colour: string;
  className: string;
}

export function postColours(posts: readonly string[]): Map<string, PostColour> {
  return new Map(
    [...posts].sort().map((post, i) => [post, { colour: POST_PALETTE[i % POST_PALETTE.length]!, className: `post-colour-${i % POST_PALETTE.length}` }]),
  );
}

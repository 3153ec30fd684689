export const Hello = () => <p>hello</p>;

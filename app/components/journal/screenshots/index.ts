// The screenshots panel for trades and daily reviews (issue 13 item 2).
export { ScreenshotsPanel } from "./screenshots-panel.tsx";

export function App() {
  return <main><h1>MSPVault</h1></main>;
}
